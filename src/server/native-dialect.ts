import { dashboardChannels } from '../protocol/dashboard-catalog.js';
import { isRecord, parseJson, stableStringify } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import { unrefTimer } from '../timers.js';
import type { DialectHost, FeedClient, FeedEvent, ServerDialect } from './dialect.js';
import { nativeFeed } from './native-feed.js';
import { isCursor, nativeHttp } from './native-http.js';

/** Options of {@link nativeDialect}. @category Mock server */
export interface NativeDialectOptions {
  /** WebSocket endpoint paths. @default ['/ws'] */
  readonly paths?: readonly string[];
  /**
   * Channels a client may subscribe to; others get `{"op":"error","code":"unknown_channel"}`.
   * `'any'` accepts every channel name.
   * @default the engine's rule ({@link DialectHost.knowsChannel}): the default catalogue's channels and any channel published on
   */
  readonly channels?: readonly string[] | 'any';
  /**
   * When the server requires auth: how long a new connection may take to send its `auth` frame
   * before it gets `error unauthorized` and close 4001, in ms.
   * @default 10000
   */
  readonly authTimeoutMs?: number;
  /** Most events in one REST polling response; the rest follow with `more: true`. @default 500 */
  readonly pageLimit?: number;
}

/** Close code sent after refusing credentials (the native client treats it as an auth failure). @category Mock server */
export const unauthorizedCloseCode = 4001;

/** Defaults of {@link NativeDialectOptions}. @category Mock server */
export const nativeDialectDefaults = { paths: ['/ws'], authTimeoutMs: 10_000 } as const;

/** The protocol version this server speaks (`welcome.version`, docs/protocol.md §11). @category Mock server */
export const nativeProtocolVersion = '1.1';

const maxChannelLength = 200;

type Session =
  | { readonly phase: 'auth'; readonly timer: ReturnType<typeof setTimeout> }
  | { readonly phase: 'authorizing'; readonly pending: string[] }
  | { readonly phase: 'open' };

/**
 * One connection's subscriptions: channel → (params key → params). A connection may hold several
 * subscriptions of one channel; it receives the channel's events once while any is live.
 */
type Table = Map<string, Map<string, SubscriptionParams>>;

/** How subscriptions are told apart: params compared by value (JSON with keys sorted). */
function paramsKey(params: SubscriptionParams): string {
  return stableStringify(params);
}

function sessionId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return crypto?.randomUUID?.() ?? `s-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/**
 * The native protocol's server side, exactly as docs/protocol.md specifies it: welcome
 * (after `auth` when required), subscribe with `since` replay, unsubscribe, ping/pong,
 * error frames for bad input, and the REST polling endpoint (native-http.ts).
 * @category Mock server
 */
export function nativeDialect(options: NativeDialectOptions = {}): ServerDialect {
  const sessions = new WeakMap<FeedClient, Session>();
  const tables = new WeakMap<FeedClient, Table>();
  const allowed = options.channels === undefined || options.channels === 'any' ? undefined : new Set(options.channels);
  const authTimeoutMs = options.authTimeoutMs ?? nativeDialectDefaults.authTimeoutMs;
  const knows = (channel: string, host: DialectHost): boolean =>
    options.channels === 'any' || (allowed ? allowed.has(channel) : (host.knowsChannel?.(channel) ?? true));

  const tableOf = (client: FeedClient): Table => {
    let table = tables.get(client);
    if (!table) {
      table = new Map();
      tables.set(client, table);
    }
    return table;
  };

  /** Keeps `client.subscriptions` (what `clients()` shows) in step: a channel's most recent params. */
  const mirror = (client: FeedClient, channel: string): void => {
    const variants = tables.get(client)?.get(channel);
    const last = variants ? [...variants.values()].pop() : undefined;
    if (last === undefined) client.subscriptions.delete(channel);
    else client.subscriptions.set(channel, last);
  };

  const sendJson = (client: FeedClient, frame: Record<string, unknown>): void => client.send(JSON.stringify(frame));

  const sendError = (client: FeedClient, code: string, message: string, id?: unknown, channel?: string): void =>
    sendJson(client, {
      op: 'error',
      ...(isCursor(id) ? { id } : {}),
      ...(channel === undefined ? {} : { channel }),
      code,
      message,
    });

  const welcome = (client: FeedClient, host: DialectHost): void => {
    sessions.set(client, { phase: 'open' });
    sendJson(client, {
      op: 'welcome',
      session: sessionId(),
      version: nativeProtocolVersion,
      heartbeatMs: host.heartbeatMs,
    });
  };

  const refuse = (client: FeedClient, message: string): void => {
    const session = sessions.get(client);
    if (session?.phase === 'auth') clearTimeout(session.timer);
    sessions.delete(client);
    sendError(client, 'unauthorized', message);
    client.close(unauthorizedCloseCode, 'unauthorized');
  };

  const authenticate = (client: FeedClient, frame: string, host: DialectHost): void => {
    const msg = parseJson(frame);
    const check = host.auth;
    if (!check || !isRecord(msg) || msg.op !== 'auth' || typeof msg.token !== 'string') {
      refuse(client, 'the first frame must be {"op":"auth","token":"…"}');
      return;
    }
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = check(msg.token);
    } catch {
      verdict = false;
    }
    const waiting = sessions.get(client);
    if (waiting?.phase === 'auth') clearTimeout(waiting.timer);
    if (typeof verdict === 'boolean') {
      if (verdict) welcome(client, host);
      else refuse(client, 'token refused');
      return;
    }
    // Clients may pipeline subscribes behind the auth frame; hold them until the verdict.
    const session: Session = { phase: 'authorizing', pending: [] };
    sessions.set(client, session);
    verdict.then(
      (ok) => settle(client, host, session, ok),
      () => settle(client, host, session, false),
    );
  };

  const settle = (client: FeedClient, host: DialectHost, session: Session, ok: boolean): void => {
    if (sessions.get(client) !== session || session.phase !== 'authorizing') return; // closed meanwhile
    if (!ok) {
      refuse(client, 'token refused');
      return;
    }
    welcome(client, host);
    for (const frame of session.pending) handle(client, frame, host);
  };

  const subscribe = (client: FeedClient, msg: Record<string, unknown>, host: DialectHost): void => {
    const { id, channel, params, since } = msg;
    if (!isCursor(id)) return sendError(client, 'bad_request', 'subscribe needs a numeric "id"');
    if (typeof channel !== 'string' || channel.length === 0 || channel.length > maxChannelLength) {
      return sendError(client, 'bad_request', 'subscribe needs a non-empty string "channel"', id);
    }
    if (params !== undefined && !isRecord(params))
      return sendError(client, 'bad_request', '"params" must be an object', id, channel);
    if (since !== undefined && !isCursor(since)) {
      return sendError(client, 'bad_request', '"since" must be a non-negative integer', id, channel);
    }
    if (!knows(channel, host)) return sendError(client, 'unknown_channel', `no channel "${channel}"`, id, channel);
    // Params are kept but do not filter events: a subscriber must see every seq of its
    // channel, or it would mistake the holes for lost events (routing by params is the client's job).
    const subscription: SubscriptionParams = params ?? {};
    const add = (): void => {
      const table = tableOf(client);
      let variants = table.get(channel);
      if (!variants) table.set(channel, (variants = new Map<string, SubscriptionParams>()));
      // Re-subscribing the same (channel, params) replaces it: still one subscription.
      variants.delete(paramsKey(subscription));
      variants.set(paramsKey(subscription), subscription);
      mirror(client, channel);
    };
    if (since === undefined) {
      add();
      // `seq` is the subscriber's position (the channel's last seq): without it, a client that
      // drops before its first event cannot ask for what was published while it was away.
      return sendJson(client, { op: 'ack', id, channel, seq: host.replay(channel, Number.MAX_SAFE_INTEGER).lastSeq });
    }
    // Replay, then ack, then live: all synchronous, so no live event can slip in between.
    // Nothing is replayed when the buffer cannot cover the whole range: the client reports
    // the gap {since+1 … seq} and refetches, rather than stitch a partial history.
    const replay = host.replay(channel, since);
    if (replay.recovered) for (const event of replay.events) client.send(encodeEvent(event));
    add();
    // `seq` lets a client that was not recovered report the exact gap at once (not at the next event).
    sendJson(client, { op: 'ack', id, channel, recovered: replay.recovered, seq: replay.lastSeq });
  };

  const unsubscribe = (client: FeedClient, msg: Record<string, unknown>): void => {
    const { id, channel, params } = msg;
    if (!isCursor(id)) return sendError(client, 'bad_request', 'unsubscribe needs a numeric "id"');
    if (typeof channel !== 'string')
      return sendError(client, 'bad_request', 'unsubscribe needs a string "channel"', id);
    if (params !== undefined && !isRecord(params))
      return sendError(client, 'bad_request', '"params" must be an object', id, channel);
    const variants = tables.get(client)?.get(channel);
    if (variants) {
      // 1.1: params name the subscription. A frame without params (a 1.0 client) ends every
      // subscription of the channel, as a 1.0 server would.
      if (params === undefined) variants.clear();
      else variants.delete(paramsKey(params));
      if (variants.size === 0) tables.get(client)?.delete(channel);
      mirror(client, channel);
    }
    // Idempotent: a subscription the connection does not hold is acked all the same.
    sendJson(client, { op: 'ack', id, channel });
  };

  const handle = (client: FeedClient, frame: string, host: DialectHost): void => {
    const parsed = parseJson(frame);
    // A batch (array) is handled item by item, in order, as if each had been its own frame.
    if (Array.isArray(parsed)) {
      for (const item of parsed) handleOne(client, item, host);
      return;
    }
    handleOne(client, parsed, host, frame);
  };

  const handleOne = (client: FeedClient, msg: unknown, host: DialectHost, frame?: string): void => {
    if (!isRecord(msg))
      return sendError(
        client,
        'bad_request',
        frame !== undefined && msg === undefined ? 'frame is not JSON' : 'frame is not a JSON object',
      );
    switch (msg.op) {
      case 'subscribe':
        return subscribe(client, msg, host);
      case 'unsubscribe':
        return unsubscribe(client, msg);
      case 'ping':
        return sendJson(client, isCursor(msg.id) ? { op: 'pong', id: msg.id } : { op: 'pong' });
      case 'auth':
        return; // credentials on a server without auth, or sent twice: harmless
      default:
        return sendError(
          client,
          'bad_request',
          typeof msg.op === 'string' ? `unknown op "${msg.op.slice(0, 64)}"` : 'frame without "op"',
          msg.id,
        );
    }
  };

  return {
    name: 'native',
    paths: options.paths ?? nativeDialectDefaults.paths,
    channels: Object.keys(dashboardChannels),
    open(client, host) {
      if (!host.auth) return welcome(client, host);
      // A connection that never authenticates must not hold a socket (and a slot) forever.
      const timer = setTimeout(() => {
        if (sessions.get(client)?.phase === 'auth') refuse(client, `no auth frame within ${authTimeoutMs} ms`);
      }, authTimeoutMs);
      unrefTimer(timer);
      sessions.set(client, { phase: 'auth', timer });
    },
    message(client, frame, host) {
      const session = sessions.get(client);
      if (!session) return; // refused: the close is on its way
      if (session.phase === 'auth') return authenticate(client, frame, host);
      if (session.phase === 'authorizing') {
        session.pending.push(frame);
        return;
      }
      handle(client, frame, host);
    },
    closed(client) {
      const session = sessions.get(client);
      if (session?.phase === 'auth') clearTimeout(session.timer);
      sessions.delete(client);
      tables.delete(client);
    },
    // Once per connection, however many of its subscriptions are on the channel.
    receives: (client, event) => (tables.get(client)?.get(event.channel)?.size ?? 0) > 0,
    encode: encodeEvent,
    feed: nativeFeed,
    http: nativeHttp({ encode: encodeEvent, pageLimit: options.pageLimit }),
  };
}

/** A native event frame. @category Mock server */
export function encodeEvent(event: FeedEvent): string {
  return JSON.stringify({
    op: 'event',
    channel: event.channel,
    seq: event.seq,
    type: event.type,
    data: event.data,
    ts: event.ts,
  });
}
