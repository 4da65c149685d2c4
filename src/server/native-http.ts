import { authorizeBearer } from './bearer-auth.js';
import { jsonResponse, type DialectHost, type FeedEvent, type HttpRequest, type HttpResponse } from './dialect.js';
import { isCursor } from './native-frames.js';
import { channelPage, overheadBytes, utf8Bytes, type Budget } from './native-poll-page.js';
import { snapshotRoute } from './native-snapshot.js';

/** Options of the native REST polling endpoint. @category Mock server */
export interface NativeHttpOptions {
  /** Most events in one response, across its channels; the rest follow with `more: true`. @default 500 */
  readonly pageLimit?: number;
  /** Encodes an event as a native event frame (the same text the WebSocket sends). */
  readonly encode: (event: FeedEvent) => string;
}

/** Defaults of {@link NativeHttpOptions}. @category Mock server */
export const nativeHttpDefaults = { pageLimit: 500 } as const;

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
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

function maxBytesOf(request: HttpRequest): number | undefined | null {
  const text = request.query.get('maxBytes');
  if (text === null || text === '') return undefined;
  const value = Number(text);
  return isCursor(value) && value > 0 ? value : null;
}

/**
 * The native REST polling endpoint (docs/protocol.md §8):
 * - `GET /events?channels=C1:N1,C2` → every listed channel in one response:
 *   `{"events":[…C1's, then C2's…],"next":{"C1":…,"C2":…}}`, plus `"recovered":{"C1":false}` for
 *   channels whose history is gone, `"errors":{"C3":{code,message}}` for channels refused (the
 *   others are still served), and `"more":true` when a page limit cut the answer short;
 * - `GET /events?channel=C&since=N` → `{"events":[…],"next":N}` for one channel;
 * - `maxBytes=N` caps the body (the client's `maxMessageBytes`); `Authorization: Bearer` when the
 *   server requires auth (401 otherwise). Both answer `If-None-Match` with 304.
 */
export function nativeHttp(
  options: NativeHttpOptions,
): (request: HttpRequest, host: DialectHost) => HttpResponse | Promise<HttpResponse> | undefined {
  const pageLimit = Math.max(1, options.pageLimit ?? nativeHttpDefaults.pageLimit);
  const { encode } = options;

  const serve = (
    request: HttpRequest,
    host: DialectHost,
    single: boolean,
    wanted: { channel: string; since: number | undefined }[],
  ): HttpResponse => {
    const maxBytes = maxBytesOf(request);
    if (maxBytes === null)
      return jsonResponse(400, { error: 'bad_request', message: '"maxBytes" must be a positive integer' });
    const known = (channel: string): boolean => host.knowsChannel?.(channel) ?? true;
    if (single && !known(wanted[0]!.channel)) {
      return jsonResponse(404, { error: 'unknown_channel', message: `no channel "${wanted[0]!.channel}"` });
    }
    const served = wanted.filter((w) => known(w.channel));
    const refused = wanted.filter((w) => !known(w.channel));
    const errors = Object.fromEntries(
      refused.map((r) => [r.channel, { code: 'unknown_channel', message: `no channel "${r.channel}"` }]),
    );
    const room =
      maxBytes === undefined
        ? Number.MAX_SAFE_INTEGER
        : maxBytes -
          overheadBytes(
            wanted.map((w) => w.channel),
            host,
          ) -
          (refused.length ? utf8Bytes(`,"errors":${JSON.stringify(errors)}`) : 0);
    const budget: Budget = { events: pageLimit, bytes: room, room };
    const pages = served.map(({ channel, since }) => channelPage(host, encode, channel, since, budget));
    const etag = `"${[pageLimit, maxBytes ?? '', ...pages.map((p) => p.tag), ...refused.map(() => 'x')].join(';')}"`;
    const headers = { etag, 'cache-control': 'no-cache' };
    if (etagMatches(request.headers['if-none-match'], etag)) return { status: 304, headers, body: '' };
    const more = pages.some((p) => p.more);
    const events = `[${pages.flatMap((p) => p.frames).join(',')}]`;
    let rest: Record<string, unknown>;
    if (single) {
      const page = pages[0]!;
      rest = { next: page.next, ...(page.recovered ? {} : { recovered: false }), ...(more ? { more } : {}) };
    } else {
      const lost = pages.filter((p) => !p.recovered);
      rest = {
        next: Object.fromEntries(pages.map((p) => [p.channel, p.next])),
        ...(lost.length ? { recovered: Object.fromEntries(lost.map((p) => [p.channel, false])) } : {}),
        ...(refused.length ? { errors } : {}),
        ...(more ? { more } : {}),
      };
    }
    // Frames are spliced in as encoded: the poll carries the same text the WebSocket would.
    const body = `{"events":${events},${JSON.stringify(rest).slice(1)}`;
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
  };

  return (request, host) => {
    if (request.path === '/snapshot') return snapshotRoute(request, host);
    if (request.path !== '/events') return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
    const many = request.query.get('channels');
    const one = request.query.get('channel');
    if (!many && !one)
      return jsonResponse(400, {
        error: 'bad_request',
        message: 'query parameter "channel" or "channels" is required',
      });
    let wanted: { channel: string; since: number | undefined }[];
    if (many) {
      const parsed = parseChannels(many);
      if (!parsed)
        return jsonResponse(400, {
          error: 'bad_request',
          message: '"channels" is a comma-separated list of name[:since]',
        });
      wanted = parsed;
    } else {
      const sinceText = request.query.get('since');
      const since = sinceText === null || sinceText === '' ? undefined : Number(sinceText);
      if (since !== undefined && !isCursor(since))
        return jsonResponse(400, { error: 'bad_request', message: '"since" must be a non-negative integer' });
      wanted = [{ channel: one!, since }];
    }
    return authorizeBearer(request, host, () => serve(request, host, !many, wanted));
  };
}
