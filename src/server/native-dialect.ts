import { dashboardChannels } from '../protocol/dashboard-catalog.js';
import { isRecord, parseJson } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import type { DialectHost, FeedClient, FeedEvent, ServerDialect } from './dialect.js';
import { nativeFeed } from './native-feed.js';
import { isCursor, sendError, sendJson } from './native-frames.js';
import { createNativeHandshake } from './native-handshake.js';
import { nativeHttp } from './native-http.js';
import { createSubscriptionTable } from './native-subscriptions.js';

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

/** Defaults of {@link NativeDialectOptions}. @category Mock server */
export const nativeDialectDefaults = { paths: ['/ws'], authTimeoutMs: 10_000 } as const;

const maxChannelLength = 200;

/**
 * The native protocol's server side, exactly as docs/protocol.md specifies it: welcome
 * (after `auth` when required), subscribe with `since` replay, unsubscribe, ping/pong,
 * error frames for bad input, and the REST polling endpoint (native-http.ts).
 * @category Mock server
 */
export function nativeDialect(options: NativeDialectOptions = {}): ServerDialect {
  const allowed = options.channels === undefined || options.channels === 'any' ? undefined : new Set(options.channels);
  const authTimeoutMs = options.authTimeoutMs ?? nativeDialectDefaults.authTimeoutMs;
  const knows = (channel: string, host: DialectHost): boolean =>
    options.channels === 'any' || (allowed ? allowed.has(channel) : (host.knowsChannel?.(channel) ?? true));
  const subscriptions = createSubscriptionTable();

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
    if (since === undefined) {
      subscriptions.add(client, channel, subscription);
      // `seq` is the subscriber's position (the channel's last seq): without it, a client that
      // drops before its first event cannot ask for what was published while it was away.
      return sendJson(client, { op: 'ack', id, channel, seq: host.replay(channel, Number.MAX_SAFE_INTEGER).lastSeq });
    }
    // Replay, then ack, then live: all synchronous, so no live event can slip in between.
    // Nothing is replayed when the buffer cannot cover the whole range: the client reports
    // the gap {since+1 … seq} and refetches, rather than stitch a partial history.
    const replay = host.replay(channel, since);
    if (replay.recovered) for (const event of replay.events) client.send(encodeEvent(event));
    subscriptions.add(client, channel, subscription);
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
    // 1.1: params name the subscription. A frame without params (a 1.0 client) ends every
    // subscription of the channel, as a 1.0 server would.
    subscriptions.remove(client, channel, params);
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

  const handshake = createNativeHandshake(authTimeoutMs, handle);

  return {
    name: 'native',
    paths: options.paths ?? nativeDialectDefaults.paths,
    channels: Object.keys(dashboardChannels),
    open: (client, host) => handshake.open(client, host),
    message: (client, frame, host) => handshake.message(client, frame, host),
    closed(client) {
      handshake.closed(client);
      subscriptions.forget(client);
    },
    // Once per connection, however many of its subscriptions are on the channel.
    receives: (client, event) => subscriptions.has(client, event.channel),
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
