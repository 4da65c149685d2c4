import type { DialectHost, HttpRequest, HttpResponse } from './dialect.js';
import { jsonResponse } from './dialect.js';

/** A non-negative safe integer: a seq, a cursor or a frame id. */
export function isCursor(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** One channel's part of a poll: events after the cursor (none without one), position, recovery. */
function channelPage(host: DialectHost, channel: string, since: number | undefined) {
  if (since === undefined) {
    // No cursor means "from now", as a WebSocket subscribe without `since` does.
    const next = host.replay(channel, Number.MAX_SAFE_INTEGER).lastSeq;
    return { events: [], next, recovered: true, tag: `now-${next}` };
  }
  const replay = host.replay(channel, since);
  const events = replay.events.map((e) => ({ op: 'event', channel: e.channel, seq: e.seq, type: e.type, data: e.data, ts: e.ts }));
  // The URL fixes channel and since; the body then depends only on what the buffer holds.
  return { events, next: replay.lastSeq, recovered: replay.recovered, tag: `${replay.firstSeq}-${replay.lastSeq}` };
}

/** Parses `channels=prices:41,trades` (names URL-encoded, so `,` and `:` inside names are %-escaped). */
function parseChannels(text: string): { channel: string; since: number | undefined }[] | undefined {
  const out: { channel: string; since: number | undefined }[] = [];
  for (const part of text.split(',')) {
    const [rawName, rawSince, extra] = part.split(':');
    if (!rawName || extra !== undefined) return undefined;
    let channel: string;
    try {
      channel = decodeURIComponent(rawName);
    } catch {
      return undefined;
    }
    const since = rawSince === undefined || rawSince === '' ? undefined : Number(rawSince);
    if (since !== undefined && !isCursor(since)) return undefined;
    out.push({ channel, since });
  }
  return out;
}

/**
 * The native REST polling endpoint (docs/protocol.md §8):
 * - `GET /events?channel=C&since=N` → `{"events":[…],"next":N}`, plus `"recovered":false` when
 *   the buffer no longer reaches back to `since`; without `since`, no events (start from now);
 * - `GET /events?channels=C1:N1,C2` → every listed channel in one response:
 *   `{"events":[…C1's, then C2's…],"next":{"C1":…,"C2":…}}`, plus `"recovered":{"C1":false}`
 *   for channels whose history is gone — one request per interval however many channels.
 * Both answer `If-None-Match` with 304.
 */
export function nativeHttp(request: HttpRequest, host: DialectHost): HttpResponse | undefined {
  if (request.path !== '/events') return undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
  const many = request.query.get('channels');
  const one = request.query.get('channel');
  if (!many && !one) return jsonResponse(400, { error: 'bad_request', message: 'query parameter "channel" or "channels" is required' });
  if (many) {
    const wanted = parseChannels(many);
    if (!wanted) return jsonResponse(400, { error: 'bad_request', message: '"channels" is a comma-separated list of name[:since]' });
    const pages = wanted.map(({ channel, since }) => ({ channel, ...channelPage(host, channel, since) }));
    const headers = { etag: `"${pages.map((p) => p.tag).join(',')}"`, 'cache-control': 'no-cache' };
    if (etagMatches(request.headers['if-none-match'], headers.etag)) return { status: 304, headers, body: '' };
    const lost = pages.filter((p) => !p.recovered);
    return jsonResponse(
      200,
      {
        events: pages.flatMap((p) => p.events),
        next: Object.fromEntries(pages.map((p) => [p.channel, p.next])),
        ...(lost.length ? { recovered: Object.fromEntries(lost.map((p) => [p.channel, false])) } : {}),
      },
      headers,
    );
  }
  const sinceText = request.query.get('since');
  const since = sinceText === null || sinceText === '' ? undefined : Number(sinceText);
  if (since !== undefined && !isCursor(since)) return jsonResponse(400, { error: 'bad_request', message: '"since" must be a non-negative integer' });
  const page = channelPage(host, one!, since);
  const headers = { etag: `"${page.tag}"`, 'cache-control': 'no-cache' };
  if (etagMatches(request.headers['if-none-match'], headers.etag)) return { status: 304, headers, body: '' };
  return jsonResponse(200, page.recovered ? { events: page.events, next: page.next } : { events: page.events, next: page.next, recovered: false }, headers);
}
