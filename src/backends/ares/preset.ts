import * as z from 'zod';
import { defineEvents, type EventCatalog, type RejectReserved, type WithChannels } from '../../events.js';
import { keepExtras } from '../../protocol/keep-extras.js';
import { defineProtocol } from '../../protocol/define.js';
import type { HeartbeatOptions, Inbound, Protocol, SubscriptionParams } from '../../protocol/types.js';
import {
  allowed,
  errorItem,
  keysWithout,
  readTypedFrame,
  rfc3339,
  typesOf,
  withEvents,
  withoutType,
  type WithEvents,
} from '../shared.js';
import { aresChannels } from './channels.js';

/**
 * `{timestamp, data}`: an ARES frame without its `type`. Go's `WebSocketMessage` struct has
 * no `omitempty`, so both are always there; `data` is a `map[string]interface{}`, so it keeps
 * every key it does not declare.
 */
const envelope = <S extends z.core.$ZodLooseShape>(data: S) =>
  keepExtras({ timestamp: rfc3339, data: keepExtras(data) });

/**
 * The ARES hub (Go hub, `/ws`): what handlers receive — `{timestamp, data}`, the
 * `WebSocketMessage` without `type`. `timestamp` is Go's RFC 3339 string; the EventBus
 * payloads carry JSON numbers (Go `float64`), so prices here are numbers. A `data` key is
 * required where the backend's publishing code always sets it or its dashboard shows it on every
 * event; optional otherwise (docs/presets.md has the list).
 * @category Presets
 */
export const aresEvents = defineEvents({
  /** The hub's own welcome (lifecycle step 3). Also decoded as the protocol's `welcome`. */
  connected: envelope({ message: z.string(), topics: z.array(z.string()) }),
  /** Published by `RSIStrategy.GenerateSignal`, shown by the Signals panel: all four keys. */
  signal: envelope({ strategy_name: z.string(), action: z.string(), price: z.number(), confidence: z.number() }),
  /** `trade.executed`: the Trades panel shows action, strategy, trade id, price and quantity of every one. */
  trade: envelope({
    trade_id: z.string(),
    strategy_name: z.string(),
    action: z.string(),
    entry_price: z.number(),
    quantity: z.number(),
  }),
  /** `trade.closed`: the panel shows strategy, trade id, entry, exit and P&L; `pnl` feeds the P&L summary. */
  trade_closed: envelope({
    trade_id: z.string(),
    strategy_name: z.string(),
    entry_price: z.number(),
    exit_price: z.number(),
    pnl: z.number(),
  }),
  /** Published by `GetStrategyMetrics`: all four keys. */
  metrics: envelope({
    strategy_name: z.string(),
    total_trades: z.number().int(),
    win_rate: z.number(),
    total_profit_loss: z.number(),
  }),
  /** "System alerts (e.g., strategy promotion)": `message` always; `strategy_name` only in the promotion. */
  alert: envelope({ strategy_name: z.string().optional(), message: z.string() }),
});

/** The catalogue type of {@link ares}. Its channels: a channel name, or a message type taken as its own channel. @category Presets */
export type AresEvents = WithChannels<
  typeof aresEvents,
  keyof typeof aresChannels | Extract<keyof typeof aresEvents, string>
>;

export { aresChannels };

/** Options of {@link ares}. @category Presets */
export interface AresOptions<O extends EventCatalog = {}> {
  /**
   * Your schemas for message types whose `data` your server shapes differently, or for types
   * it adds (the hub's `BroadcastMessage(type, data)`): each replaces the preset's, typed.
   * @default none
   */
  readonly events?: O & RejectReserved<O>;
  /**
   * Heartbeat timing. The client sends `{"type":"ping"}` after `intervalMs` of quiet and
   * expects any frame (the hub answers `pong`) within `timeoutMs`.
   * @default { intervalMs: 30000, timeoutMs: 15000 }
   */
  readonly heartbeat?: Partial<HeartbeatOptions>;
}

/** Defaults of {@link ares}. @category Presets */
export const aresDefaults = {
  // The seed's dashboard pings every 30 s; the hub's read deadline is 60 s, so a 30 s ping
  // keeps the socket alive even if only reads extend it. 15 s for the pong leaves room for
  // the hub's 10 s write deadline behind a busy send buffer.
  heartbeat: { intervalMs: 30_000, timeoutMs: 15_000 },
} as const;

/** Channel picks types (unknown names are taken as a type); `params.strategies` keeps those strategies. */
function matches(channel: string, params: SubscriptionParams, type: string, data: unknown): boolean {
  if (!typesOf(aresChannels, channel).includes(type)) return false;
  const inner = (data as { data?: { strategy_name?: unknown } }).data;
  return allowed(params, 'strategies', inner?.strategy_name);
}

function decode(frame: string): Inbound[] {
  const read = readTypedFrame(frame);
  if (!read.ok) return [read.item];
  const { type, msg } = read;
  switch (type) {
    case 'pong':
      return [{ kind: 'pong' }];
    case 'error':
      return [errorItem(msg)];
    case 'connected':
      // Both: the client's welcome handling, and a typed event so the app can read `topics`.
      return [
        { kind: 'welcome', data: msg.data },
        { kind: 'event', type, data: withoutType(msg) },
      ];
    default:
      return [{ kind: 'event', type, data: withoutType(msg) }];
  }
}

/**
 * Preset for the Go "ARES" trading hub: `{type, timestamp, data}` frames on `/ws`,
 * a `connected` welcome (delivered as the `connected` event too), `{"type":"ping"}` →
 * `pong`. Channels are client-side filters ({@link aresChannels}, params `{ strategies: [...] }`).
 *
 * ```ts
 * const client = createClient({ url: 'ws://localhost:8080/ws', protocol: presets.ares() });
 * client.on('signal', (m) => m.data.confidence);
 * ```
 * @category Presets
 */
export function ares(): Protocol<AresEvents>;
export function ares<const O extends EventCatalog = {}>(options: AresOptions<O>): Protocol<WithEvents<AresEvents, O>>;
export function ares(options: AresOptions<EventCatalog> = {}): Protocol<EventCatalog> {
  const keys: Protocol<AresEvents>['keys'] = {
    signal: (m) => m.data.strategy_name,
    trade: (m) => m.data.trade_id,
    trade_closed: (m) => m.data.trade_id,
    metrics: (m) => m.data.strategy_name,
    alert: (m) => m.data.strategy_name ?? '',
  };
  return defineProtocol<EventCatalog>({
    name: 'ares',
    channels: Object.keys(aresChannels).filter((c) => c !== 'all'),
    events: withEvents(aresEvents, options.events),
    decode,
    encodeSubscribe: () => null,
    encodeUnsubscribe: () => null,
    encodePing: () => '{"type":"ping"}',
    heartbeat: { ...aresDefaults.heartbeat, ...options.heartbeat },
    acks: false,
    resumable: false,
    matches,
    keys: keysWithout(keys, options.events) as Protocol<EventCatalog>['keys'],
  });
}
