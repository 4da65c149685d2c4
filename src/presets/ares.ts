import * as z from 'zod';
import { defineEvents, type WithChannels } from '../events.js';
import { defineProtocol } from '../protocol/define.js';
import type { HeartbeatOptions, Inbound, Protocol, SubscriptionParams } from '../protocol/types.js';
import { allowed, errorItem, readTypedFrame, rfc3339, withoutType } from './shared.js';

/** `{timestamp, data}`: an ARES frame without its `type`. */
const envelope = <S extends z.ZodType>(data: S) => z.object({ timestamp: rfc3339, data });

/**
 * Seed 001 (Go hub, `/ws`): what handlers receive — `{timestamp, data}`, the
 * `WebSocketMessage` without `type`. `timestamp` is Go's RFC 3339 string; the EventBus
 * payloads carry JSON numbers (Go `float64`), so prices here are numbers.
 * @category Presets
 */
export const aresEvents = defineEvents({
  /** Welcome on connect. Also decoded as the protocol's `welcome`. */
  connected: envelope(z.object({ message: z.string(), topics: z.array(z.string()) })),
  signal: envelope(z.object({ strategy_name: z.string(), action: z.string(), price: z.number(), confidence: z.number() })),
  trade: envelope(
    z.object({ trade_id: z.string(), strategy_name: z.string(), action: z.string(), entry_price: z.number(), quantity: z.number() }),
  ),
  trade_closed: envelope(
    z.object({ trade_id: z.string(), strategy_name: z.string(), entry_price: z.number(), exit_price: z.number(), pnl: z.number() }),
  ),
  metrics: envelope(
    z.object({ strategy_name: z.string(), total_trades: z.number().int(), win_rate: z.number(), total_profit_loss: z.number() }),
  ),
  alert: envelope(z.object({ strategy_name: z.string(), message: z.string() })),
});

/** The catalogue type of {@link ares}. Its channels: a channel name, or a message type taken as its own channel. @category Presets */
export type AresEvents = WithChannels<typeof aresEvents, keyof typeof aresChannels | Extract<keyof typeof aresEvents, string>>;

const e = aresEvents;

/**
 * Wire frames of seed 001 in both directions: the server's `{type, timestamp, data}` frames
 * (`pong` carries Go's nil map as `data: null`), and the client's `{"type":"ping"}`.
 * @category Presets
 */
export const aresSchemas = /* @__PURE__ */ (() => ({
  // A pure call, so app bundles drop it: only the mock server and tests read these.
  server: {
    connected: z.object({ type: z.literal('connected'), ...e.connected.shape }),
    signal: z.object({ type: z.literal('signal'), ...e.signal.shape }),
    trade: z.object({ type: z.literal('trade'), ...e.trade.shape }),
    trade_closed: z.object({ type: z.literal('trade_closed'), ...e.trade_closed.shape }),
    metrics: z.object({ type: z.literal('metrics'), ...e.metrics.shape }),
    alert: z.object({ type: z.literal('alert'), ...e.alert.shape }),
    pong: z.object({ type: z.literal('pong'), timestamp: rfc3339.optional(), data: z.record(z.string(), z.unknown()).nullable().optional() }),
  },
  client: {
    ping: z.object({ type: z.literal('ping') }),
  },
}) as const)();

/**
 * Channels of {@link ares}: the hub broadcasts everything to everyone (seed: "no message
 * filtering"), so channels are client-side filters on type; `all` takes every type.
 * @category Presets
 */
export const aresChannels = {
  signals: ['signal'],
  trades: ['trade', 'trade_closed'],
  metrics: ['metrics'],
  alerts: ['alert'],
  all: ['signal', 'trade', 'trade_closed', 'metrics', 'alert'],
} as const satisfies Record<string, readonly string[]>;

/** Options of {@link ares}. @category Presets */
export interface AresOptions {
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

const channelTypes: Readonly<Record<string, readonly string[]>> = aresChannels;

/** Channel picks types (unknown names are taken as a type); `params.strategies` keeps those strategies. */
function matches(channel: string, params: SubscriptionParams, type: string, data: unknown): boolean {
  const types = Object.prototype.hasOwnProperty.call(channelTypes, channel) ? channelTypes[channel]! : [channel];
  if (!types.includes(type)) return false;
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
      return [{ kind: 'welcome', data: msg.data }, { kind: 'event', type, data: withoutType(msg) }];
    default:
      return [{ kind: 'event', type, data: withoutType(msg) }];
  }
}

/**
 * Preset for the Go "ARES" trading hub (seed 001): `{type, timestamp, data}` frames on `/ws`,
 * a `connected` welcome (delivered as the `connected` event too), `{"type":"ping"}` →
 * `pong`. Channels are client-side filters ({@link aresChannels}, params `{ strategies: [...] }`).
 *
 * ```ts
 * const client = createClient({ url: 'ws://localhost:8080/ws', protocol: presets.ares() });
 * client.on('signal', (m) => m.data.confidence);
 * ```
 * @category Presets
 */
export function ares(options: AresOptions = {}): Protocol<AresEvents> {
  return defineProtocol({
    name: 'ares',
    channels: Object.keys(aresChannels).filter((c) => c !== 'all'),
    events: aresEvents,
    decode,
    encodeSubscribe: () => null,
    encodeUnsubscribe: () => null,
    encodePing: () => '{"type":"ping"}',
    heartbeat: { ...aresDefaults.heartbeat, ...options.heartbeat },
    acks: false,
    resumable: false,
    matches,
    keys: {
      signal: (m) => m.data.strategy_name,
      trade: (m) => m.data.trade_id,
      trade_closed: (m) => m.data.trade_id,
      metrics: (m) => m.data.strategy_name,
      alert: (m) => m.data.strategy_name,
    },
  });
}
