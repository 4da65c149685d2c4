import * as z from 'zod';
import { keepExtras } from '../../protocol/keep-extras.js';
import { naiveIsoDateTime } from '../shared.js';
import { adminPrefix } from './channels.js';
import { sentioEvents } from './preset.js';

const e = sentioEvents;

/**
 * Wire frames of Sentio in both directions: server `{type, data, timestamp}`, `pong` and
 * `error` frames; client `{"action": "subscribe" | "unsubscribe" | "ping", …}`.
 * @category Presets
 */
export const sentioSchemas = /* @__PURE__ */ (() =>
  ({
    // A pure call: only the mock server and tests read these, and no client entry imports this file.
    server: {
      trade_signals: keepExtras({ type: z.literal('trade_signals'), ...e.trade_signals.shape }),
      earnings: keepExtras({ type: z.literal('earnings'), ...e.earnings.shape }),
      notification: keepExtras({ type: z.literal('notification'), ...e.notification.shape }),
      /** Any `admin_<kind>` frame. */
      admin_update: keepExtras({
        type: z.string().startsWith(adminPrefix),
        data: z.record(z.string(), z.unknown()),
        timestamp: naiveIsoDateTime,
      }),
      market_data: keepExtras({ type: z.literal('market_data') }),
      pong: z.object({ type: z.literal('pong'), timestamp: naiveIsoDateTime }),
      error: z.object({ type: z.literal('error'), message: z.string(), timestamp: naiveIsoDateTime }),
    },
    client: {
      subscribe: z.looseObject({
        action: z.literal('subscribe'),
        symbols: z.array(z.string()).optional(),
        user_id: z.string().optional(),
        admin_token: z.string().optional(),
      }),
      unsubscribe: z.object({ action: z.literal('unsubscribe'), symbols: z.array(z.string()).optional() }),
      ping: z.object({ action: z.literal('ping') }),
    },
  }) as const)();
