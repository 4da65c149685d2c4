import type { DialectHost, FeedEvent, HttpRequest, HttpResponse } from './dialect.js';
import { jsonResponse } from './dialect.js';

/** A non-negative safe integer: a seq, a cursor or a frame id. */
export function isCursor(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Options of the native REST polling endpoint. @category Mock server */
export interface NativeHttpOptions {
  /** Most events in one response, across its channels; the rest follow with `more: true`. @default 500 */
  readonly pageLimit?: number;
  /** Encodes an event as a native event frame (the same text the WebSocket sends). */
  readonly encode: (event: FeedEvent) => string;
}

/** Defaults of {@link NativeHttpOptions}. @category Mock server */
export const nativeHttpDefaults = { pageLimit: 500 } as const;

const encoder = new TextEncoder();
// Most frames are ASCII: count them without encoding.
// eslint-disable-next-line no-control-regex -- the ASCII range on purpose: an ASCII string's length is its UTF-8 size.
const utf8Bytes = (text: string): number => (/^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length);

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

interface Page {
  readonly channel: string;
  readonly frames: string[];
  /** Last seq served (the channel's last seq when caught up, `since` when nothing fit). */
  next: number;
  recovered: boolean;
  /** Events after `next` are still to come (page limit or byte budget reached). */
  more: boolean;
  readonly tag: string;
}

/** What one response may still hold. */
interface Budget {
  events: number;
  bytes: number;
  /** Room of an empty page: an event bigger than this can never be served. */
  readonly room: number;
}

/**
 * One channel's part of a poll. Events are served in seq order while the budget lasts; an event
 * that could not fit even an empty page is skipped (`next` moves past it, so the client reports
 * it as a gap instead of asking for it forever).
 */
function channelPage(
  host: DialectHost,
  encode: NativeHttpOptions['encode'],
  channel: string,
  since: number | undefined,
  budget: Budget,
): Page {
  if (since === undefined) {
    // No cursor means "from now", as a WebSocket subscribe without `since` does.
    const next = host.replay(channel, Number.MAX_SAFE_INTEGER).lastSeq;
    return { channel, frames: [], next, recovered: true, more: false, tag: `now-${next}` };
  }
  const replay = host.replay(channel, since);
  // The cursor is part of the tag: clients keep one ETag per channel set, not per URL, and a
  // second page (same buffer, later cursor) must not be answered 304.
  const tag = `${since}:${replay.firstSeq}-${replay.lastSeq}`;
  // As on the WebSocket: no partial history. The client reports {since+1 … next} as a gap.
  if (!replay.recovered) return { channel, frames: [], next: replay.lastSeq, recovered: false, more: false, tag };
  const page: Page = { channel, frames: [], next: since, recovered: true, more: false, tag };
  let skippedLast = false;
  for (const event of replay.events) {
    const frame = encode(event);
    const size = utf8Bytes(frame) + 1; // the comma that joins it
    if (size > budget.room) {
      page.next = event.seq;
      skippedLast = true;
      continue;
    }
    if (budget.events === 0 || size > budget.bytes) {
      page.more = true;
      break;
    }
    page.frames.push(frame);
    budget.events -= 1;
    budget.bytes -= size;
    page.next = event.seq;
    skippedLast = false;
  }
  // A skipped event at the end would otherwise go unnoticed until the next one arrives.
  if (skippedLast) page.recovered = false;
  return page;
}

function maxBytesOf(request: HttpRequest): number | undefined | null {
  const text = request.query.get('maxBytes');
  if (text === null || text === '') return undefined;
  const value = Number(text);
  return isCursor(value) && value > 0 ? value : null;
}

/** An upper bound of a body's size without its events: every channel at its largest possible entries. */
function overheadBytes(channels: readonly string[], host: DialectHost): number {
  const names = channels.map((c) => JSON.stringify(c));
  const next = names.map((n, i) => `${n}:${host.replay(channels[i]!, Number.MAX_SAFE_INTEGER).lastSeq}`).join(',');
  const flags = names.map((n) => `${n}:false`).join(',');
  return utf8Bytes(`{"events":[],"next":{${next}},"recovered":{${flags}},"more":true}`);
}

function unauthorized(message: string): HttpResponse {
  return jsonResponse(401, { error: 'unauthorized', message }, { 'www-authenticate': 'Bearer' });
}

/** The `Authorization: Bearer …` token of a request, checked with the server's auth check. */
function authorize(
  request: HttpRequest,
  host: DialectHost,
  serve: () => HttpResponse,
): HttpResponse | Promise<HttpResponse> {
  const check = host.auth;
  if (!check) return serve();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return unauthorized('this server requires "Authorization: Bearer <token>"');
  let verdict: boolean | Promise<boolean>;
  try {
    verdict = check(match[1]!);
  } catch {
    verdict = false;
  }
  if (typeof verdict === 'boolean') return verdict ? serve() : unauthorized('token refused');
  return verdict.then(
    (ok) => (ok ? serve() : unauthorized('token refused')),
    () => unauthorized('token refused'),
  );
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
    return authorize(request, host, () => serve(request, host, !many, wanted));
  };
}

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
function snapshotRoute(request: HttpRequest, host: DialectHost): HttpResponse | Promise<HttpResponse> {
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
  return authorize(request, host, () => {
    if (!(host.knowsChannel?.(channel) ?? true))
      return jsonResponse(404, { error: 'unknown_channel', message: `no channel "${channel}"` });
    return jsonResponse(200, channelState(host, channel), { 'cache-control': 'no-cache' });
  });
}
