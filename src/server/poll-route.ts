import {
  jsonResponse,
  type DialectHost,
  type FeedClient,
  type HttpRequest,
  type HttpResponse,
  type ServerDialect,
} from './dialect.js';

/** How many recent events `GET /poll/<channel>` returns by default. */
export const pollRouteDefaults = { limit: 20 } as const;

/**
 * `GET /poll/<channel>?limit=N`: the channel's most recent events as a JSON array of frames in
 * the dialect's own WebSocket shape. Any protocol can fall back to REST polling against it
 * (a snapshot endpoint: the client de-duplicates by content). Served for every dialect, so
 * presets whose seeds show no REST endpoint can still be tested on the fallback.
 * @category Mock server
 */
export function pollRoute(request: HttpRequest, dialect: ServerDialect, host: DialectHost): HttpResponse | undefined {
  if (!request.path.startsWith('/poll/')) return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
  const channel = decodeURIComponent(request.path.slice('/poll/'.length));
  if (!channel) return jsonResponse(400, { error: 'bad_request', message: 'channel missing: GET /poll/<channel>' });
  const limit = Math.min(
    1_000,
    Math.max(1, Number(request.query.get('limit') ?? pollRouteDefaults.limit) || pollRouteDefaults.limit),
  );
  const replay = host.replay(channel, 0);
  const events = replay.events.slice(-limit);
  const etag = `"${channel}-${replay.lastSeq}-${events.length}"`;
  const headers = { etag, 'cache-control': 'no-cache' };
  const match = request.headers['if-none-match'];
  if (match && match.split(',').some((tag) => tag.trim() === etag)) return { status: 304, headers, body: '' };
  // Encoded as for a client subscribed to just this channel on the dialect's main endpoint.
  const reader: FeedClient = {
    id: 'http',
    path: dialect.paths[0] ?? '/',
    query: request.query,
    connectedAt: host.now(),
    subscriptions: new Map([[channel, {}]]),
    send() {},
    close() {},
    terminate() {},
  };
  const frames = events.map((event) => dialect.encode(event, reader));
  return { status: 200, headers: { 'content-type': 'application/json', ...headers }, body: `[${frames.join(',')}]` };
}
