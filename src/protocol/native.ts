import type { EventCatalog, RejectReserved } from '../events.js';
import { assertNoReservedNames } from '../events.js';
import { dashboardChannels, dashboardEvents, type DashboardEvents } from './dashboard-catalog.js';
import { isRecord, parseJson, peekTopLevel, stableStringify } from './json.js';
import type {
  Envelope,
  HeartbeatOptions,
  Inbound,
  PollChannel,
  PollLimits,
  PollPage,
  PollRequest,
  Protocol,
  SubscriptionParams,
} from './types.js';

/** Options of {@link native}. @category Protocol */
export interface NativeOptions<E extends EventCatalog> {
  /**
   * The message catalogue: one zod schema per event type.
   * @default dashboardEvents
   */
  readonly events?: E;
  /** Key functions for `latest()`, per type. @default by `symbol` / `account` for the default catalogue */
  readonly keys?: Protocol<E>['keys'];
  /** Heartbeat timing; a server's `welcome.heartbeatMs` overrides the interval. @default { intervalMs: 15000, timeoutMs: 10000 } */
  readonly heartbeat?: Partial<HeartbeatOptions>;
  /** Poll interval on the REST fallback, in ms. @default 2000 */
  readonly pollIntervalMs?: number;
}

/** Native protocol defaults. @category Protocol */
export const nativeDefaults = {
  heartbeat: { intervalMs: 15_000, timeoutMs: 10_000 },
  pollIntervalMs: 2_000,
  /** 4001 unauthorized, 4003 forbidden, 4400 bad request: retrying cannot help. */
  fatalCloseCodes: [4003, 4400],
  authCloseCodes: [4001],
} as const;

const dashboardKeys = {
  price_update: (m: { symbol: string }) => m.symbol,
  trade: (m: { symbol: string }) => m.symbol,
  portfolio_value: (m: { account: string }) => m.account,
};

/**
 * dashwire's own protocol, for new servers: channels with per-channel `seq`,
 * resume with `since`, acks, errors, ping/pong and a REST polling endpoint.
 * Specified in docs/protocol.md.
 * @category Protocol
 */
export function native(): Protocol<DashboardEvents>;
export function native<const E extends EventCatalog>(
  options: NativeOptions<E> & { events: E & RejectReserved<E> },
): Protocol<E>;
export function native(options?: NativeOptions<DashboardEvents>): Protocol<DashboardEvents>;
export function native(options: NativeOptions<EventCatalog> = {}): Protocol<EventCatalog> {
  const events = options.events ?? dashboardEvents;
  assertNoReservedNames(events);
  const keys = options.keys ?? (options.events ? undefined : dashboardKeys);
  const heartbeat = { ...nativeDefaults.heartbeat, ...options.heartbeat };
  return {
    name: 'native',
    events,
    ...(options.events ? {} : { channels: Object.keys(dashboardChannels) }),
    ...(keys ? { keys: keys as Protocol<EventCatalog>['keys'] } : {}),
    heartbeat,
    acks: true,
    resumable: true,
    fatalCloseCodes: nativeDefaults.fatalCloseCodes,
    authFailure: { closeCodes: nativeDefaults.authCloseCodes, errorCodes: ['unauthorized'] },
    decode: decodeNative,
    peekEnvelope: peekNativeEnvelope,
    ...(options.events ? {} : { matches: matchesDashboard }),
    encodeSubscribe: ({ id, channel, params, since }) =>
      JSON.stringify(
        since === undefined
          ? { op: 'subscribe', id, channel, params }
          : { op: 'subscribe', id, channel, params, since },
      ),
    // 1.1: the params name which of the channel's subscriptions ends (NATIVE-1.1 §1).
    encodeUnsubscribe: ({ id, channel, params }) => JSON.stringify({ op: 'unsubscribe', id, channel, params }),
    unsubscribeEndsChannel: (version) => !atLeastVersion(version, 1, 1),
    encodePing: (id) => `{"op":"ping","id":${id}}`,
    encodeAuth: (token) => JSON.stringify({ op: 'auth', token }),
    polling: {
      intervalMs: options.pollIntervalMs ?? nativeDefaults.pollIntervalMs,
      requests: nativePollRequests,
      decode: decodeNativePoll,
    },
    snapshot: { url: nativeSnapshotUrl, decode: decodeNativeSnapshot },
  };
}

/** `GET <base>/snapshot?channel=C[&params=<JSON>]` (docs/protocol.md §14). */
function nativeSnapshotUrl(baseUrl: string, channel: string, params: SubscriptionParams): string {
  const query = new URLSearchParams({ channel });
  if (Object.keys(params).length > 0) query.set('params', stableStringify(params));
  return `${baseUrl.replace(/\/+$/, '')}/snapshot?${query.toString()}`;
}

/** `{"seq": N, "items": [{"type", "data"}, …]}`; undefined when the body is not that. */
function decodeNativeSnapshot(body: string): { seq?: number; items: { type: string; data: unknown }[] } | undefined {
  const parsed = parseJson(body);
  if (!isRecord(parsed) || !Array.isArray(parsed.items)) return undefined;
  const items = parsed.items.flatMap((item) =>
    isRecord(item) && typeof item.type === 'string' ? [{ type: item.type, data: item.data }] : [],
  );
  return isSeq(parsed.seq) ? { seq: parsed.seq, items } : { items };
}

function optionalId(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A channel position: a non-negative safe integer (0 = nothing published yet). */
function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Whether a `major.minor` version string is at least the given one (undefined: no). */
export function atLeastVersion(version: string | undefined, major: number, minor: number): boolean {
  const match = version === undefined ? null : /^(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [have, haveMinor] = [Number(match[1]), Number(match[2])];
  return have > major || (have === major && haveMinor >= minor);
}

/** An event's seq: a positive safe integer (seq starts at 1). */
function isEventSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/**
 * Routing of the default catalogue (NATIVE-1.1 §2): `symbols: string[]` on `prices` and `trades`
 * selects by the payload's `symbol`, `account: string` on `portfolio` by `account`. Any other
 * param is the server's business: it does not filter here.
 */
function matchesDashboard(channel: string, params: SubscriptionParams, _type: string, data: unknown): boolean {
  if (!isRecord(data)) return true;
  if (channel === 'prices' || channel === 'trades') {
    const symbols = params.symbols;
    return !Array.isArray(symbols) || symbols.includes(data.symbol);
  }
  if (channel === 'portfolio') {
    const account = params.account;
    return typeof account !== 'string' || account === data.account;
  }
  return true;
}

/** Decodes one native frame object into an inbound item. */
function decodeNativeObject(msg: unknown): Inbound {
  if (!isRecord(msg)) return { kind: 'malformed', detail: 'frame is not a JSON object' };
  switch (msg.op) {
    case 'event': {
      const { type, channel, seq } = msg;
      if (channel !== undefined && typeof channel !== 'string')
        return { kind: 'malformed', detail: 'event "channel" is not a string' };
      if (seq !== undefined && !isEventSeq(seq))
        return { kind: 'malformed', detail: 'event "seq" is not a positive integer', channel };
      // The envelope is readable: the rejected event still consumes its seq.
      if (typeof type !== 'string') return { kind: 'malformed', detail: 'event without a string "type"', channel, seq };
      return { kind: 'event', type, data: msg.data, channel, seq };
    }
    case 'pong':
      return { kind: 'pong', id: optionalId(msg.id) };
    case 'ack':
      return {
        kind: 'ack',
        id: optionalId(msg.id),
        channel: optionalString(msg.channel),
        recovered: typeof msg.recovered === 'boolean' ? msg.recovered : undefined,
        // Position of a subscribe without `since`, so a later resubscribe can resume from it.
        seq: isSeq(msg.seq) ? msg.seq : undefined,
      };
    case 'welcome':
      return {
        kind: 'welcome',
        session: optionalString(msg.session),
        heartbeatMs: typeof msg.heartbeatMs === 'number' && msg.heartbeatMs > 0 ? msg.heartbeatMs : undefined,
        version: optionalString(msg.version),
      };
    case 'error':
      return {
        kind: 'error',
        id: optionalId(msg.id),
        channel: optionalString(msg.channel),
        code: optionalString(msg.code) ?? 'error',
        message: optionalString(msg.message) ?? '',
        retryAfterMs: typeof msg.retryAfterMs === 'number' && msg.retryAfterMs >= 0 ? msg.retryAfterMs : undefined,
      };
    default:
      return {
        kind: 'malformed',
        detail: typeof msg.op === 'string' ? `unknown op "${msg.op.slice(0, 64)}"` : 'frame without "op"',
      };
  }
}

/** Native frames are one JSON object, or an array of them (a server may batch). */
export function decodeNative(frame: string): Inbound[] {
  const parsed = parseJson(frame);
  if (parsed === undefined) return [{ kind: 'malformed', detail: 'not JSON' }];
  if (Array.isArray(parsed)) return parsed.map(decodeNativeObject);
  return [decodeNativeObject(parsed)];
}

/**
 * One request per round for every subscribed channel (`GET /events?channels=a:41,b`), each with
 * its own cursor. Names are URL-encoded inside the list, so `,` and `:` in a name cannot split it.
 */
function nativePollRequests(baseUrl: string, channels: readonly PollChannel[], limits: PollLimits = {}): PollRequest[] {
  if (channels.length === 0) return [];
  const base = baseUrl.replace(/\/+$/, '');
  const list = channels
    .map(({ channel, since }) =>
      since === undefined ? encodeURIComponent(channel) : `${encodeURIComponent(channel)}:${since}`,
    )
    .join(',');
  const names = channels.map(({ channel }) => channel);
  // maxBytes lets the server page below what this client accepts (protocol §8).
  const query = new URLSearchParams(
    limits.maxBytes === undefined ? { channels: list } : { channels: list, maxBytes: String(limits.maxBytes) },
  );
  return [{ key: names.join('\u0000'), url: `${base}/events?${query.toString()}`, channels: names }];
}

function decodeNativePoll(body: string, request: PollRequest): PollPage {
  const parsed = parseJson(body);
  if (!isRecord(parsed) || !Array.isArray(parsed.events))
    return { items: [{ kind: 'malformed', detail: 'poll response without "events" array' }] };
  const items = parsed.events.map(decodeNativeObject);
  const { next, recovered, errors } = parsed;
  // Channels the server refused in this poll (unknown_channel, forbidden…); the rest were served.
  if (isRecord(errors)) {
    for (const channel of request.channels) {
      const error = errors[channel];
      if (!isRecord(error)) continue;
      items.push({
        kind: 'error',
        channel,
        code: optionalString(error.code) ?? 'error',
        message: optionalString(error.message) ?? '',
      });
    }
  }
  // `next` positions each channel (a subscriber that polled "from now" starts there) and, with
  // `recovered: false`, tells the client its history is gone, so it reports the gap at once.
  if (isRecord(next)) {
    for (const channel of request.channels) {
      const seq = next[channel];
      if (!isSeq(seq)) continue;
      const lost = isRecord(recovered) && recovered[channel] === false;
      items.push(lost ? { kind: 'ack', channel, seq, recovered: false } : { kind: 'ack', channel, seq });
    }
  } else if (isSeq(next)) {
    items.push({ kind: 'ack', channel: request.channels[0], seq: next });
  }
  return { items, more: parsed.more === true };
}

/**
 * The envelope of a native event frame too large to parse: its top-level `op`, `channel`, `seq`
 * and `type`, read without parsing `data` (see {@link peekTopLevel}).
 */
export function peekNativeEnvelope(frame: string): Envelope | undefined {
  const top = peekTopLevel(frame, ['op', 'channel', 'seq', 'type']);
  if (!top || top.op !== 'event' || typeof top.channel !== 'string' || !isEventSeq(top.seq)) return undefined;
  return { channel: top.channel, seq: top.seq, type: typeof top.type === 'string' ? top.type : undefined };
}
