import { authorizeBearer } from './bearer-auth.js';
import { jsonResponse, type DialectHost, type HttpRequest, type HttpResponse } from './dialect.js';

/** Fields that name what an event is about, in the default catalogue and most feeds. */
const stateKeys = ['symbol', 'account', 'id', 'asset'] as const;

/**
 * A channel's current state: the last event per (type, key) in its retained history (the key
 * being the first of `symbol`, `account`, `id`, `asset` the payload has; events without one are
 * all kept), oldest first, and `seq`, the channel position it covers.
 */
export function channelState(
  host: DialectHost,
  channel: string,
): { seq: number; items: { type: string; data: unknown }[] } {
  const replay = host.replay(channel, 0);
  const last = new Map<string, { type: string; data: unknown; seq: number }>();
  for (const event of replay.events) {
    const data = event.data as Record<string, unknown> | null;
    const field =
      typeof data === 'object' && data !== null
        ? stateKeys.find((k) => typeof data[k] === 'string' || typeof data[k] === 'number')
        : undefined;
    const key = field === undefined ? `#${event.seq}` : `${event.type}\u0000${String(data![field])}`;
    last.delete(key);
    last.set(key, { type: event.type, data: event.data, seq: event.seq });
  }
  const items = [...last.values()].sort((a, b) => a.seq - b.seq).map(({ type, data }) => ({ type, data }));
  return { seq: replay.lastSeq, items };
}

/**
 * `GET /snapshot?channel=C` (docs/protocol.md §14, optional for servers): `{"seq":N,"items":[…]}`,
 * where `seq` is the channel's position the items cover. `params` (JSON) is accepted and, in
 * this mock, not used to filter. Auth as for `/events`.
 */
export function snapshotRoute(request: HttpRequest, host: DialectHost): HttpResponse | Promise<HttpResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
  const channel = request.query.get('channel');
  if (!channel) return jsonResponse(400, { error: 'bad_request', message: 'query parameter "channel" is required' });
  const params = request.query.get('params');
  if (params !== null) {
    try {
      JSON.parse(params);
    } catch {
      return jsonResponse(400, { error: 'bad_request', message: '"params" must be JSON' });
    }
  }
  return authorizeBearer(request, host, () => {
    if (!(host.knowsChannel?.(channel) ?? true))
      return jsonResponse(404, { error: 'unknown_channel', message: `no channel "${channel}"` });
    return jsonResponse(200, channelState(host, channel), { 'cache-control': 'no-cache' });
  });
}
