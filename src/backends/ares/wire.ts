import * as z from 'zod';
import { keepExtras } from '../../protocol/keep-extras.js';
import { rfc3339 } from '../shared.js';
import { aresEvents } from './preset.js';

const e = aresEvents;

/**
 * Wire frames of the ARES hub in both directions: the server's `{type, timestamp, data}` frames
 * (`pong` carries Go's nil map as `data: null`), and the client's `{"type":"ping"}`.
 * @category Presets
 */
export const aresSchemas = /* @__PURE__ */ (() =>
  ({
    // A pure call: only the mock server and tests read these, and no client entry imports this file.
    server: {
      connected: keepExtras({ type: z.literal('connected'), ...e.connected.shape }),
      signal: keepExtras({ type: z.literal('signal'), ...e.signal.shape }),
      trade: keepExtras({ type: z.literal('trade'), ...e.trade.shape }),
      trade_closed: keepExtras({ type: z.literal('trade_closed'), ...e.trade_closed.shape }),
      metrics: keepExtras({ type: z.literal('metrics'), ...e.metrics.shape }),
      alert: keepExtras({ type: z.literal('alert'), ...e.alert.shape }),
      pong: keepExtras({
        type: z.literal('pong'),
        timestamp: rfc3339.optional(),
        data: z.record(z.string(), z.unknown()).nullable().optional(),
      }),
    },
    client: {
      ping: keepExtras({ type: z.literal('ping') }),
    },
  }) as const)();
