import { isRecord, parseJson } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import type { DialectHost, FeedClient, FeedEvent, ServerDialect } from './dialect.js';
import { nativeFeed } from './native-feed.js';
import { isCursor, nativeHttp } from './native-http.js';

/** Options of {@link nativeDialect}. @category Mock server */
export interface NativeDialectOptions {
  /** WebSocket endpoint paths. @default ['/ws'] */
  readonly paths?: readonly string[];
  /**
   * Channels a client may subscribe to; others get `{"op":"error","code":"unknown_channel"}`.
   * @default any channel
   */
  readonly channels?: readonly string[];
}

/** Close code sent after refusing credentials (the native client treats it as an auth failure). @category Mock server */
export const unauthorizedCloseCode = 4001;

const maxChannelLength = 200;

type Session =
  | { readonly phase: 'auth' }
  | { readonly phase: 'authorizing'; readonly pending: string[] }
  | { readonly phase: 'open' };

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
  const allowed = options.channels ? new Set(options.channels) : undefined;

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
    sendJson(client, { op: 'welcome', session: sessionId(), heartbeatMs: host.heartbeatMs });
  };

  const refuse = (client: FeedClient, message: string): void => {
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
      sessions.delete(client);
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
    if (params !== undefined && !isRecord(params)) return sendError(client, 'bad_request', '"params" must be an object', id, channel);
    if (since !== undefined && !isCursor(since)) {
      return sendError(client, 'bad_request', '"since" must be a non-negative integer', id, channel);
    }
    if (allowed && !allowed.has(channel)) return sendError(client, 'unknown_channel', `no channel "${channel}"`, id, channel);
    // Params are kept but do not filter events: a subscriber must see every seq of its
    // channel, or it would mistake the holes for lost events.
    const subscription: SubscriptionParams = params ?? {};
    if (since === undefined) {
      client.subscriptions.set(channel, subscription);
      // `seq` is the subscriber's position (the channel's last seq): without it, a client that
      // drops before its first event cannot ask for what was published while it was away.
      return sendJson(client, { op: 'ack', id, channel, seq: host.replay(channel, Number.MAX_SAFE_INTEGER).lastSeq });
    }
    // Replay, then ack, then live: all synchronous, so no live event can slip in between.
    const replay = host.replay(channel, since);
    if (replay.recovered) for (const event of replay.events) client.send(encodeEvent(event));
    client.subscriptions.set(channel, subscription);
    // `seq` lets a client that was not recovered report the exact gap at once (not at the next event).
    sendJson(client, { op: 'ack', id, channel, recovered: replay.recovered, seq: replay.lastSeq });
  };

  const handle = (client: FeedClient, frame: string, host: DialectHost): void => {
    const msg = parseJson(frame);
    if (!isRecord(msg)) return sendError(client, 'bad_request', msg === undefined ? 'frame is not JSON' : 'frame is not a JSON object');
    switch (msg.op) {
      case 'subscribe':
        return subscribe(client, msg, host);
      case 'unsubscribe': {
        if (!isCursor(msg.id)) return sendError(client, 'bad_request', 'unsubscribe needs a numeric "id"');
        if (typeof msg.channel !== 'string') return sendError(client, 'bad_request', 'unsubscribe needs a string "channel"', msg.id);
        client.subscriptions.delete(msg.channel);
        return sendJson(client, { op: 'ack', id: msg.id, channel: msg.channel });
      }
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
    paths: options.paths ?? ['/ws'],
    open(client, host) {
      if (host.auth) sessions.set(client, { phase: 'auth' });
      else welcome(client, host);
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
      sessions.delete(client);
    },
    receives: (client, event) => client.subscriptions.has(event.channel),
    encode: encodeEvent,
    feed: nativeFeed,
    http: nativeHttp,
  };
}

/** A native event frame. @category Mock server */
export function encodeEvent(event: FeedEvent): string {
  return JSON.stringify({ op: 'event', channel: event.channel, seq: event.seq, type: event.type, data: event.data, ts: event.ts });
}
