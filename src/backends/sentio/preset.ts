import * as z from 'zod';
import { defineEvents, type EventCatalog, type RejectReserved, type WithChannels } from '../../events.js';
import { keepExtras } from '../../protocol/keep-extras.js';
import { isRecord, parseJson } from '../../protocol/json.js';
import { defineProtocol } from '../../protocol/define.js';
import type {
  HeartbeatOptions,
  Inbound,
  PollRequest,
  PollingSpec,
  Protocol,
  SubscriptionParams,
} from '../../protocol/types.js';
import { contentKey } from '../../protocol/content-key.js';
import {
  errorItem,
  keysWithout,
  naiveIsoDateTime,
  readTyped,
  readTypedFrame,
  stringList,
  withEvents,
  withoutType,
  type TypedFrame,
  type WithEvents,
} from '../shared.js';
import { adminPrefix, sentioChannelOf, sentioChannels, sentioFeeds, type SentioChannel } from './channels.js';

/**
 * `{data, timestamp}`: a frame without its `type`. The backend's protocol section lists both for
 * every server message; `timestamp` is naive ISO ("2024-10-05T10:30:00"). Python dicts:
 * undeclared keys are kept.
 */
const envelope = <S extends z.ZodType>(data: S) => keepExtras({ data, timestamp: naiveIsoDateTime });

/**
 * One trade signal: `symbol`, `signal` and `confidence` are what the backend's `TradeSignals`
 * component shows for each; its `timestamp` is in the examples but read by nothing, so optional.
 * @category Presets
 */
export const sentioSignalSchema = keepExtras({
  symbol: z.string(),
  signal: z.string(),
  confidence: z.number(),
  timestamp: naiveIsoDateTime.optional(),
});

/**
 * Sentio (FastAPI, one endpoint per feed): what handlers receive — `{data, timestamp}`.
 * Python floats arrive as JSON numbers. Required fields are those the backend's own components
 * read on every message; the rest of each example is optional. Admin updates are one family,
 * `admin_update` (`broadcast_admin_update(kind, data)` sends `type: "admin_<kind>"`), with the
 * kind in `kind`. `market_data` (the "existing" `/ws/market-data` feed) is never shown, so its
 * payload is `unknown` until you pass `events: { market_data: yourSchema }`.
 * @category Presets
 */
export const sentioEvents = defineEvents({
  trade_signals: envelope(z.array(sentioSignalSchema)),
  /** The `Earnings` component shows `portfolio_value` and `daily_pnl`. */
  earnings: envelope(
    keepExtras({
      portfolio_value: z.number(),
      daily_pnl: z.number(),
      total_return: z.number().optional(),
      win_rate: z.number().optional(),
    }),
  ),
  /** `Notifications` shows `title` and `message`; `id` (its React key) is never shown sent, `data.type` is the kind ("success"…). */
  notification: envelope(
    keepExtras({
      title: z.string(),
      message: z.string(),
      id: z.union([z.string(), z.number()]).optional(),
      type: z.string().optional(),
      timestamp: naiveIsoDateTime.optional(),
    }),
  ),
  /**
   * Every `admin_<kind>` frame: `kind` is `<kind>` ("users" for `admin_users`; it replaces a
   * `kind` key of the frame), `data` the dict passed to `broadcast_admin_update`, one example
   * of which its description shows.
   */
  admin_update: keepExtras({ kind: z.string(), data: z.record(z.string(), z.unknown()), timestamp: naiveIsoDateTime }),
  /** Never shown: any JSON until you supply a schema. */
  market_data: z.unknown(),
});

/** The catalogue type of {@link sentio}. @category Presets */
export type SentioEvents = WithChannels<typeof sentioEvents, keyof typeof sentioChannels>;

export { sentioChannels, sentioChannelOf, type SentioChannel };

/** Options of {@link sentio}. @category Presets */
export interface SentioOptions<O extends EventCatalog = {}> {
  /**
   * Your schemas in place of the preset's, typed: the shape of `market_data` (never shown in
   * its description), your admin kinds (`admin_update`), or any type your server adds.
   * `presets.sentio({ events: { market_data: z.object({ data: tick, timestamp: z.string() }) } })`.
   * @default none
   */
  readonly events?: O & RejectReserved<O>;
  /** WebSocket path per channel, appended to the client's base URL. @default `/ws/<channel>` for the five documented channels */
  readonly endpoints?: Partial<Record<string, string>>;
  /**
   * REST path per channel for the polling fallback. ASSUMPTION: its description says components fall
   * back to REST every 30 s but does not document the endpoints; these paths answer
   * `GET <path>?<params>` with one `{type, data, timestamp}` frame or an array of them.
   * @default `/api/<channel>` (`/api/admin/dashboard` for `admin`)
   */
  readonly pollPaths?: Partial<Record<string, string>>;
  /** Poll interval on the REST fallback, in ms. @default 30000 (the documented interval) */
  readonly pollIntervalMs?: number;
  /** Ping/pong timing: `{"action":"ping"}` after `intervalMs` of quiet, `pong` expected within `timeoutMs`. @default { intervalMs: 30000, timeoutMs: 10000 } */
  readonly heartbeat?: Partial<HeartbeatOptions>;
}

/** `<prefix><channel>` for each of the five channels. */
const pathsUnder = (prefix: string): Record<string, string> =>
  Object.fromEntries(sentioFeeds.map((c) => [c, prefix + c]));

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

/** One `{type, …}` frame as an inbound item; `channel` is the endpoint's when known (polling). */
function itemOf(read: TypedFrame, channel?: string): Inbound {
  if (!read.ok) return read.item;
  const { type, msg } = read;
  if (type === 'pong') return { kind: 'pong' };
  if (type === 'error') return errorItem(msg);
  // One event family for every `admin_<kind>`: the kind the type named goes to the payload.
  const admin = type.startsWith(adminPrefix);
  const data = withoutType(msg);
  return {
    kind: 'event',
    type: admin ? 'admin_update' : type,
    data: admin ? { ...data, kind: type.slice(adminPrefix.length) } : data,
    channel: channel ?? sentioChannelOf(type),
  };
}

/** Keeps only signals for the subscribed `symbols` (array or comma list) on trade-signals and market-data. */
function matches(_channel: string, params: SubscriptionParams, type: string, data: unknown): boolean {
  const symbols = stringList(params.symbols);
  if (!symbols) return true;
  const inner = (data as { data?: unknown }).data;
  if (type === 'trade_signals' && Array.isArray(inner))
    return inner.some((s) => isRecord(s) && symbols.includes(String(s.symbol)));
  if (type === 'market_data' && isRecord(inner)) return symbols.includes(String(inner.symbol));
  return true;
}

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** Replaces a known `/ws/<feed>` suffix of the base URL (or appends) with the channel's path. */
function joinEndpoint(baseUrl: string, path: string, known: readonly string[]): string {
  try {
    const url = new URL(baseUrl);
    let base = withoutTrailingSlash(url.pathname);
    for (const p of known) if (base.endsWith(p)) base = base.slice(0, -p.length);
    url.pathname = `${base}${path}`;
    return url.toString();
  } catch {
    return withoutTrailingSlash(baseUrl) + path;
  }
}

/** A param value in a query string: strings and numbers as they are, anything else as JSON (never `[object Object]`). */
function queryValue(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
}

/** `?key=value&…` of the params (keys sorted, absent values left out, lists comma-joined), or `''`. */
function queryOf(params: SubscriptionParams): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value != null) query.set(key, Array.isArray(value) ? value.map(queryValue).join(',') : queryValue(value));
  }
  const text = query.toString();
  return text && `?${text}`;
}

function sentioPolling(paths: Readonly<Record<string, string>>, intervalMs: number): PollingSpec {
  return {
    intervalMs,
    requests: (baseUrl, channels) =>
      channels.map(({ channel, params }) => {
        const query = queryOf(params);
        const path = paths[channel] ?? `/api/${channel}`;
        return { key: channel + query, url: withoutTrailingSlash(baseUrl) + path + query, channels: [channel] };
      }),
    decode(body: string, request: PollRequest): Inbound[] {
      const parsed = parseJson(body);
      if (parsed === undefined) return [{ kind: 'malformed', detail: 'poll response is not JSON' }];
      const frames = Array.isArray(parsed) ? parsed : [parsed];
      return frames.map((f) => itemOf(readTyped(f), request.channels[0]));
    },
    // Snapshots are re-stamped on every request, so identity is the data, not the envelope
    // timestamp; a notification with an id is the same notification whatever else changed.
    dedupeKey({ type, data }) {
      const { data: inner, kind } = data as { data?: unknown; kind?: unknown };
      if (type === 'notification' && isRecord(inner) && inner.id !== undefined)
        return contentKey('notification#', inner.id);
      // Admin kinds share one event type: the kind is part of the identity. A frame without
      // `data` (market data's shape is unknown) is identified by all of it.
      return contentKey(typeof kind === 'string' ? `${type}:${kind}` : type, inner === undefined ? data : inner);
    },
  };
}

/**
 * Preset for the FastAPI "Sentio" dashboard: one WebSocket endpoint per channel
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
export function sentio(): Protocol<SentioEvents>;
export function sentio<const O extends EventCatalog = {}>(
  options: SentioOptions<O>,
): Protocol<WithEvents<SentioEvents, O>>;
export function sentio(options: SentioOptions<EventCatalog> = {}): Protocol<EventCatalog> {
  const endpoints = { ...sentioDefaults.endpoints, ...options.endpoints } as Record<string, string>;
  const knownPaths = Object.values(endpoints);
  const keys: Protocol<SentioEvents>['keys'] = { admin_update: (m) => m.kind };
  const rest = sentioPolling(
    { ...sentioDefaults.pollPaths, ...options.pollPaths } as Record<string, string>,
    options.pollIntervalMs ?? sentioDefaults.pollIntervalMs,
  );
  return defineProtocol<EventCatalog>({
    name: 'sentio',
    channels: Object.keys(sentioChannels),
    events: withEvents(sentioEvents, options.events),
    decode: (frame) => [itemOf(readTypedFrame(frame))],
    // `symbols` goes out as the list the server's schema takes, however the app wrote it
    // (`'AAPL,MSFT'` or `['AAPL', 'MSFT']`): the same reading `matches` and the mock dialect use.
    // (`JSON.stringify` leaves out a `symbols: undefined`.)
    encodeSubscribe: ({ params }) =>
      JSON.stringify({ action: 'subscribe', ...params, symbols: stringList(params.symbols) ?? params.symbols }),
    // The seed's unsubscribe carries only `symbols`.
    encodeUnsubscribe: ({ params }) => JSON.stringify({ action: 'unsubscribe', symbols: stringList(params.symbols) }),
    // The server keeps one set of symbols per feed connection: an unsubscribe removes symbols a
    // sibling subscription may also want, so the client subscribes the siblings again.
    unsubscribeEndsChannel: () => true,
    encodePing: () => '{"action":"ping"}',
    heartbeat: { ...sentioDefaults.heartbeat, ...options.heartbeat },
    acks: false,
    resumable: false,
    endpointFor: (baseUrl, channel) => joinEndpoint(baseUrl, endpoints[channel] ?? `/ws/${channel}`, knownPaths),
    matches,
    keys: keysWithout(keys, options.events) as Protocol<EventCatalog>['keys'],
    fatalCloseCodes: sentioDefaults.fatalCloseCodes,
    // The REST endpoints return each feed's current state (`dedupeKey`), so `{ snapshot: true }`
    // reads the same data: the client derives the snapshot source from this spec (#16).
    polling: rest,
  });
}
