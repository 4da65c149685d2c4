import * as z from 'zod';
import { defineEvents, type EventCatalog, type RejectReserved, type WithChannels } from '../../events.js';
import { keepExtras } from '../../protocol/keep-extras.js';
import { defineProtocol } from '../../protocol/define.js';
import type { HeartbeatOptions, Inbound, Protocol, SubscriptionParams } from '../../protocol/types.js';
import { errorItem, isoDateTime, readTypedFrame, withEvents, withoutType, type WithEvents } from '../shared.js';
import { channelFeedChannelOf, channelFeedChannels } from './channels.js';

/**
 * `{data, timestamp}`: a frame without its `type`. The backend's client reads `message.data` of
 * every message, so `data` is required; it never shows a server frame's timestamp, so that is
 * optional. Undeclared keys are kept (FastAPI sends Python dicts as they are).
 */
const envelope = <S extends z.ZodType>(data: S) => keepExtras({ data, timestamp: isoDateTime.optional() });

/**
 * The channel feed (FastAPI, `/ws`): what handlers receive — `{data, timestamp?}`. Only
 * `dashboard_update` has a documented payload (its money fields are preformatted strings
 * such as "$50,000.00"); the other channels' payloads are not in its description, so they are
 * `unknown` until you pass your own `events`.
 * @category Presets
 */
export const channelFeedEvents = defineEvents({
  /** `DashboardDataSource.get_data()` returns all four keys and the backend's UI shows each. */
  dashboard_update: envelope(
    keepExtras({
      total_value: z.string(),
      daily_pnl: z.string(),
      open_positions: z.number().int(),
      win_rate: z.string(),
    }),
  ),
  trades_update: envelope(z.unknown()),
  positions_update: envelope(z.unknown()),
  performance_update: envelope(z.unknown()),
  alerts_update: envelope(z.unknown()),
});

/** The catalogue type of {@link channelFeed}. @category Presets */
export type ChannelFeedEvents = WithChannels<typeof channelFeedEvents, (typeof channelFeedChannels)[number]>;

export { channelFeedChannels };

/** Options of {@link channelFeed}. @category Presets */
export interface ChannelFeedOptions<O extends EventCatalog = {}> {
  /**
   * Your schemas for the channels whose payloads you know (its description shows only the dashboard's),
   * or for types your server adds: each replaces the preset's for that type, typed
   * (`{ trades_update: z.object({ data: z.array(trade) }) }`). The other types stay.
   * @default none
   */
  readonly events?: O & RejectReserved<O>;
  /**
   * The channel a message type belongs to, for routing to subscriptions.
   * @default strips the `_update` suffix (`trades_update` → `trades`), as `dashboard_update` ↔ `dashboard` in its description
   */
  readonly channelOf?: (type: string) => string | undefined;
  /**
   * Builds the subscribe/unsubscribe frame. Its description says clients "subscribe to channels" but
   * never shows the frame.
   * @default the backend's own client's `send(type, data)` envelope:
   * `{"type":"subscribe","data":{"channel":"trades",…params},"timestamp":"<toISOString()>"}`
   */
  readonly subscribeFrame?: (
    action: 'subscribe' | 'unsubscribe',
    channel: string,
    params: SubscriptionParams,
  ) => object;
  /**
   * Idle watchdog (its description has no application ping): no frame for `intervalMs + timeoutMs`
   * means a dead link. `intervalMs: 0` turns it off.
   * @default { intervalMs: 60000, timeoutMs: 30000 }
   */
  readonly heartbeat?: Partial<HeartbeatOptions>;
}

/** Defaults of {@link channelFeed}. @category Presets */
export const channelFeedDefaults = {
  // Data sources push on their update interval (seconds, per the seed's configuration
  // section); 90 s without a frame on a subscribed socket is a dead link, not a quiet one.
  heartbeat: { intervalMs: 60_000, timeoutMs: 30_000 },
  /** `dashboard_update` → `dashboard`: its description names each channel's message `<channel>_update`. */
  channelOf: channelFeedChannelOf,
  /** The backend's own client's `send(type, data)` shape: `{type, data: {channel, …params}, timestamp}`. */
  subscribeFrame: (action: 'subscribe' | 'unsubscribe', channel: string, params: SubscriptionParams): object => ({
    type: action,
    data: { ...params, channel },
    timestamp: new Date().toISOString(),
  }),
} as const;

/**
 * Preset for the FastAPI channel feed: `{type, data, timestamp}` frames on `/ws`,
 * server-side channels dashboard/trades/positions/performance/alerts, `type: "error"` frames
 * as errors. No application ping.
 *
 * ```ts
 * const client = createClient({ url: 'ws://localhost:8000/ws', protocol: presets.channelFeed() });
 * client.subscribe('dashboard').on('dashboard_update', (m) => m.data.total_value); // "$50,000.00"
 * ```
 * @category Presets
 */
export function channelFeed(): Protocol<ChannelFeedEvents>;
export function channelFeed<const O extends EventCatalog = {}>(
  options: ChannelFeedOptions<O>,
): Protocol<WithEvents<ChannelFeedEvents, O>>;
export function channelFeed(options: ChannelFeedOptions<EventCatalog> = {}): Protocol<EventCatalog> {
  const channelOf = options.channelOf ?? channelFeedDefaults.channelOf;
  const frameOf = options.subscribeFrame ?? channelFeedDefaults.subscribeFrame;
  const decode = (frame: string): Inbound[] => {
    const read = readTypedFrame(frame);
    if (!read.ok) return [read.item];
    if (read.type === 'error') return [errorItem(read.msg)];
    const channel = channelOf(read.type);
    const data = withoutType(read.msg);
    return [
      channel === undefined
        ? { kind: 'event', type: read.type, data }
        : { kind: 'event', type: read.type, data, channel },
    ];
  };
  return defineProtocol<EventCatalog>({
    name: 'channelFeed',
    channels: channelFeedChannels,
    events: withEvents(channelFeedEvents, options.events),
    decode,
    encodeSubscribe: ({ channel, params }) => JSON.stringify(frameOf('subscribe', channel, params)),
    encodeUnsubscribe: ({ channel, params }) => JSON.stringify(frameOf('unsubscribe', channel, params)),
    // The server keeps one set of channels per connection: unsubscribing one params variant
    // ends the channel for its siblings too, so the client subscribes those again.
    unsubscribeEndsChannel: () => true,
    encodePing: () => null,
    heartbeat: { ...channelFeedDefaults.heartbeat, ...options.heartbeat },
    acks: false,
    resumable: false,
  });
}
