import * as z from 'zod';
import { defineEvents, type WithChannels } from '../events.js';
import { isRecord, parseJson } from '../protocol/json.js';
import { defineProtocol } from '../protocol/define.js';
import type { HeartbeatOptions, Inbound, PollChannel, PollRequest, PollingSpec, Protocol, SubscriptionParams } from '../protocol/types.js';
import { contentKey, errorItem, naiveIsoDateTime, readTyped, readTypedFrame, stringList, withoutType, type TypedFrame } from './shared.js';

/** `{data, timestamp}`: a frame without its `type`; `timestamp` is naive ISO ("2024-10-05T10:30:00"). */
const envelope = <S extends z.ZodType>(data: S) => z.object({ data, timestamp: naiveIsoDateTime });

/** One trade signal, as in the seed's `trade_signals` example. @category Presets */
export const sentioSignalSchema = z.object({ symbol: z.string(), signal: z.string(), confidence: z.number(), timestamp: naiveIsoDateTime });

/**
 * Seed 004 (FastAPI "Sentio", one endpoint per feed): what handlers receive — `{data, timestamp}`.
 * Python floats arrive as JSON numbers. `market_data` is an ASSUMPTION: the seed lists
 * `/ws/market-data` as "existing" without showing a frame.
 * @category Presets
 */
export const sentioEvents = defineEvents({
  trade_signals: envelope(z.array(sentioSignalSchema)),
  earnings: envelope(z.object({ portfolio_value: z.number(), total_return: z.number(), daily_pnl: z.number(), win_rate: z.number() })),
  /** `data.type` is the notification's kind ("success"…); `id` is read by the seed's UI but never shown, so optional. */
  notification: envelope(
    z.object({
      id: z.union([z.string(), z.number()]).optional(),
      type: z.string(),
      title: z.string(),
      message: z.string(),
      timestamp: naiveIsoDateTime,
    }),
  ),
  /** `broadcast_admin_update('users', …)` → `admin_users`. */
  admin_users: envelope(z.object({ total_users: z.number().int(), active_subscriptions: z.number().int(), monthly_revenue: z.number() })),
  market_data: envelope(z.looseObject({ symbol: z.string(), price: z.number() })),
});

/** The catalogue type of {@link sentio}. @category Presets */
export type SentioEvents = WithChannels<typeof sentioEvents, keyof typeof sentioChannels>;

const e = sentioEvents;

/**
 * Wire frames of seed 004 in both directions: server `{type, data, timestamp}`, `pong` and
 * `error` frames; client `{"action": "subscribe" | "unsubscribe" | "ping", …}`.
 * @category Presets
 */
export const sentioSchemas = /* @__PURE__ */ (() => ({
  // A pure call, so app bundles drop it: only the mock server and tests read these.
  server: {
    trade_signals: z.object({ type: z.literal('trade_signals'), ...e.trade_signals.shape }),
    earnings: z.object({ type: z.literal('earnings'), ...e.earnings.shape }),
    notification: z.object({ type: z.literal('notification'), ...e.notification.shape }),
    admin_users: z.object({ type: z.literal('admin_users'), ...e.admin_users.shape }),
    market_data: z.object({ type: z.literal('market_data'), ...e.market_data.shape }),
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

/** Sentio's channels: one WebSocket endpoint each. @category Presets */
export type SentioChannel = 'trade-signals' | 'earnings' | 'notifications' | 'admin' | 'market-data';

/** Channel → the message types its endpoint sends. @category Presets */
export const sentioChannels = {
  'trade-signals': ['trade_signals'],
  earnings: ['earnings'],
  notifications: ['notification'],
  admin: ['admin_users'],
  'market-data': ['market_data'],
} as const satisfies Record<SentioChannel, readonly string[]>;

/** Options of {@link sentio}. @category Presets */
export interface SentioOptions {
  /** WebSocket path per channel, appended to the client's base URL. @default `/ws/<channel>` for the five seed channels */
  readonly endpoints?: Partial<Record<string, string>>;
  /**
   * REST path per channel for the polling fallback. ASSUMPTION: the seed says components fall
   * back to REST every 30 s but does not document the endpoints; these paths answer
   * `GET <path>?<params>` with one `{type, data, timestamp}` frame or an array of them.
   * @default `/api/<channel>` (`/api/admin/dashboard` for `admin`)
   */
  readonly pollPaths?: Partial<Record<string, string>>;
  /** Poll interval on the REST fallback, in ms. @default 30000 (the seed's) */
  readonly pollIntervalMs?: number;
  /** Ping/pong timing: `{"action":"ping"}` after `intervalMs` of quiet, `pong` expected within `timeoutMs`. @default { intervalMs: 30000, timeoutMs: 10000 } */
  readonly heartbeat?: Partial<HeartbeatOptions>;
}

const feeds = Object.keys(sentioChannels) as SentioChannel[];
const typesOf: Readonly<Record<SentioChannel, readonly string[]>> = sentioChannels;
/** `<prefix><channel>` for each of the five channels. */
const pathsUnder = (prefix: string): Record<string, string> => Object.fromEntries(feeds.map((c) => [c, prefix + c]));

/** Defaults of {@link sentio}. @category Presets */
export const sentioDefaults = {
  /** `/ws/<channel>`. */
  endpoints: pathsUnder('/ws/') as Readonly<Record<string, string>>,
  /** `/api/<channel>`, but the admin figures come from `/api/admin/dashboard`. */
  pollPaths: { ...pathsUnder('/api/'), admin: '/api/admin/dashboard' } as Readonly<Record<string, string>>,
  pollIntervalMs: 30_000,
  // The seed's heartbeat is a 30 s ping/pong; the server answers at once, so 10 s without
  // any frame after a ping is a dead link (updates themselves flow every 5 s).
  heartbeat: { intervalMs: 30_000, timeoutMs: 10_000 },
  /** ASSUMPTION: FastAPI's usual refusal of a bad `user_id`/`admin_token` is close 1008; the same params cannot succeed. */
  fatalCloseCodes: [1008],
} as const;

/** The channel a server message type belongs to (`admin_*` → `admin`). */
export function sentioChannelOf(type: string): SentioChannel | undefined {
  return type.startsWith('admin_') ? 'admin' : feeds.find((c) => typesOf[c].includes(type));
}

/** One `{type, …}` frame as an inbound item; `channel` is the endpoint's when known (polling). */
function itemOf(read: TypedFrame, channel?: string): Inbound {
  if (!read.ok) return read.item;
  const { type, msg } = read;
  if (type === 'pong') return { kind: 'pong' };
  if (type === 'error') return errorItem(msg);
  const ch = channel ?? sentioChannelOf(type);
  const data = withoutType(msg);
  return ch === undefined ? { kind: 'event', type, data } : { kind: 'event', type, data, channel: ch };
}

/** Keeps only signals for the subscribed `symbols` (array or comma list) on trade-signals and market-data. */
function matches(_channel: string, params: SubscriptionParams, type: string, data: unknown): boolean {
  const symbols = stringList(params.symbols);
  if (!symbols) return true;
  const inner = (data as { data?: unknown }).data;
  if (type === 'trade_signals' && Array.isArray(inner)) return inner.some((s) => isRecord(s) && symbols.includes(String(s.symbol)));
  if (type === 'market_data' && isRecord(inner)) return symbols.includes(String(inner.symbol));
  return true;
}

/** Replaces a known `/ws/<feed>` suffix of the base URL (or appends) with the channel's path. */
function joinEndpoint(baseUrl: string, path: string, known: readonly string[]): string {
  try {
    const url = new URL(baseUrl);
    let base = url.pathname.replace(/\/+$/, '');
    for (const p of known) if (base.endsWith(p)) base = base.slice(0, -p.length);
    url.pathname = `${base}${path}`;
    return url.toString();
  } catch {
    return `${baseUrl.replace(/\/+$/, '')}${path}`;
  }
}

function queryOf(params: SubscriptionParams): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    query.set(key, Array.isArray(value) ? value.map(String).join(',') : String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

function sentioPolling(paths: Readonly<Record<string, string>>, intervalMs: number): PollingSpec {
  return {
    intervalMs,
    requests(baseUrl: string, channels: readonly PollChannel[]): PollRequest[] {
      const base = baseUrl.replace(/\/+$/, '');
      return channels.map(({ channel, params }) => {
        const path = paths[channel] ?? `/api/${channel}`;
        return { key: `${channel}${queryOf(params)}`, url: `${base}${path}${queryOf(params)}`, channels: [channel] };
      });
    },
    decode(body: string, request: PollRequest): Inbound[] {
      const parsed = parseJson(body);
      if (parsed === undefined) return [{ kind: 'malformed', detail: 'poll response is not JSON' }];
      const frames = Array.isArray(parsed) ? parsed : [parsed];
      return frames.map((f) => itemOf(readTyped(f), request.channels[0]));
    },
    // Snapshots are re-stamped on every request, so identity is the data, not the envelope
    // timestamp; a notification with an id is the same notification whatever else changed.
    dedupeKey(event) {
      const inner = (event.data as { data?: unknown }).data;
      if (event.type === 'notification' && isRecord(inner) && inner.id !== undefined) return `notification#${String(inner.id)}`;
      return contentKey(event.type, inner);
    },
  };
}

/**
 * Preset for the FastAPI "Sentio" dashboard (seed 004): one WebSocket endpoint per channel
 * (`/ws/trade-signals`, `/ws/earnings`, `/ws/notifications`, `/ws/admin`, `/ws/market-data`),
 * `{"action":"subscribe", …params}` on each, `{"action":"ping"}` → `pong` every 30 s, `error`
 * frames as errors, and REST polling every 30 s when WebSockets fail.
 *
 * ```ts
 * const client = createClient({ url: 'ws://localhost:8000', protocol: presets.sentio() });
 * client.subscribe('trade-signals', { symbols: ['AAPL'], user_id: 'user_001' })
 *   .on('trade_signals', (m) => m.data.map((s) => s.signal));
 * ```
 * @category Presets
 */
export function sentio(options: SentioOptions = {}): Protocol<SentioEvents> {
  const endpoints = { ...sentioDefaults.endpoints, ...options.endpoints } as Record<string, string>;
  const knownPaths = Object.values(endpoints);
  return defineProtocol({
    name: 'sentio',
    channels: Object.keys(sentioChannels),
    events: sentioEvents,
    decode: (frame) => [itemOf(readTypedFrame(frame))],
    encodeSubscribe: ({ params }) => JSON.stringify({ action: 'subscribe', ...params }),
    // The seed's unsubscribe carries only `symbols`.
    encodeUnsubscribe: ({ params }) => {
      const symbols = stringList(params.symbols);
      return JSON.stringify(symbols ? { action: 'unsubscribe', symbols } : { action: 'unsubscribe' });
    },
    encodePing: () => '{"action":"ping"}',
    heartbeat: { ...sentioDefaults.heartbeat, ...options.heartbeat },
    acks: false,
    resumable: false,
    endpointFor: (baseUrl, channel) => joinEndpoint(baseUrl, endpoints[channel] ?? `/ws/${channel}`, knownPaths),
    matches,
    keys: {
      market_data: (m) => m.data.symbol,
      admin_users: () => 'users',
    },
    fatalCloseCodes: sentioDefaults.fatalCloseCodes,
    polling: sentioPolling({ ...sentioDefaults.pollPaths, ...options.pollPaths } as Record<string, string>, options.pollIntervalMs ?? sentioDefaults.pollIntervalMs),
  });
}
