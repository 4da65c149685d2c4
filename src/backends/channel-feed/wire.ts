import * as z from 'zod';
import { keepExtras } from '../../protocol/keep-extras.js';
import { isoDateTime, jsonDate } from '../shared.js';
import { channelFeedEvents } from './preset.js';

const e = channelFeedEvents;
/** The frame the backend's own `WebSocketManager.send(type, data)` produces, used for subscribe/unsubscribe. */
const clientEnvelope = <T extends string>(type: T) =>
  keepExtras({ type: z.literal(type), data: z.looseObject({ channel: z.string() }), timestamp: jsonDate });

/**
 * Wire frames of the channel feed in both directions: server `{type, data, timestamp}` and error
 * frames; client subscribe/unsubscribe in the default {@link ChannelFeedOptions.subscribeFrame} shape.
 * @category Presets
 */
export const channelFeedSchemas = /* @__PURE__ */ (() =>
  ({
    // A pure call: only the mock server and tests read these, and no client entry imports this file.
    server: {
      dashboard_update: keepExtras({ type: z.literal('dashboard_update'), ...e.dashboard_update.shape }),
      trades_update: keepExtras({ type: z.literal('trades_update'), ...e.trades_update.shape }),
      positions_update: keepExtras({ type: z.literal('positions_update'), ...e.positions_update.shape }),
      performance_update: keepExtras({ type: z.literal('performance_update'), ...e.performance_update.shape }),
      alerts_update: keepExtras({ type: z.literal('alerts_update'), ...e.alerts_update.shape }),
      error: keepExtras({
        type: z.literal('error'),
        data: keepExtras({ message: z.string() }),
        timestamp: isoDateTime.optional(),
      }),
    },
    client: {
      subscribe: clientEnvelope('subscribe'),
      unsubscribe: clientEnvelope('unsubscribe'),
    },
  }) as const)();
