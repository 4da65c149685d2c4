import { DashwireError } from '../errors.js';
import type { Inbound, PollingSpec, PollPage, PollRequest } from '../protocol/types.js';
import { unrefTimer } from '../timers.js';
import { scrubError } from './redact.js';
import type { Connection, ConnectRequest, Transport } from './types.js';

/** The subset of `fetch` the polling transport uses. @category Transport */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; signal: AbortSignal },
) => Promise<{
  status: number;
  headers: {
    /** A response header, or null. */
    get(name: string): string | null;
  };
  /** The response body as text. */
  text(): Promise<string>;
}>;

/** Options of {@link pollingTransport}. @category Fallback */
export interface PollingTransportOptions {
  /** Poll interval, in ms. @default the protocol's `polling.intervalMs` */
  readonly intervalMs?: number;
  /** fetch implementation. @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Longest wait after repeated 5xx or network errors, in ms. @default 60000 */
  readonly maxBackoffMs?: number;
  /** Consecutive failed rounds (after having been open) before the connection counts as lost. @default 5 */
  readonly maxFailures?: number;
  /** Extra request headers. The client's `auth.token()` is sent as `Authorization: Bearer …` on its own. */
  readonly headers?: Record<string, string>;
  /** Response bodies longer than this are rejected (`invalid`, reason `oversize`) before parsing, in bytes. @default unlimited */
  readonly maxMessageBytes?: number;
  /** Polling spec to use instead of the protocol's own (e.g. {@link framePolling} for a protocol without one). */
  readonly spec?: PollingSpec;
}

/** Polling defaults. @category Fallback */
export const pollingDefaults = { maxBackoffMs: 60_000, maxFailures: 5 } as const;

/** Parses Retry-After (seconds or an HTTP date) into ms. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

type EventItem = Extract<Inbound, { kind: 'event' }>;

/** A decoded body as a page, whichever shape the spec returned. */
function asPage(decoded: Inbound[] | PollPage): PollPage {
  return Array.isArray(decoded) ? { items: decoded } : decoded;
}

/**
 * REST polling with the protocol's `polling` spec: one round of requests per interval
 * for all subscribed channels, ETag / If-None-Match, Retry-After on 429 and 503,
 * exponential backoff on 5xx and network errors, and every fetch abortable.
 * The connection's token goes out as `Authorization: Bearer`; a 401 closes with the protocol's
 * auth close code, so the client refreshes the token and reconnects. A channel the server
 * refuses in a response (an `error` item naming it) is no longer polled; the others are.
 * A page that says `more` is followed at once. `close()` aborts the request in flight.
 * @category Fallback
 */
export function pollingTransport(options: PollingTransportOptions = {}): Transport {
  return {
    kind: 'polling',
    connect({ url, protocol, channels, handlers, token }: ConnectRequest): Connection {
      const spec = options.spec ?? protocol.polling;
      const fetchImpl = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
      const intervalMs = options.intervalMs ?? spec?.intervalMs ?? 5_000;
      const maxBackoffMs = options.maxBackoffMs ?? pollingDefaults.maxBackoffMs;
      const maxFailures = options.maxFailures ?? pollingDefaults.maxFailures;
      const etags = new Map<string, string>();
      const seen = new Map<string, Set<string>>();
      /** Channels the server refused (per-channel error); forgotten when the app drops the channel. */
      const refused = new Set<string>();
      const authCloseCode = protocol.authFailure?.closeCodes?.[0];
      const limits = options.maxMessageBytes === undefined ? {} : { maxBytes: options.maxMessageBytes };
      let controller: AbortController | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let state: 'connecting' | 'open' | 'closed' = 'connecting';
      let failures = 0;
      // Read through a function: TypeScript's narrowing does not know awaits let close() run.
      const isClosed = (): boolean => state === 'closed';

      const finish = (code: number, reason: string, wasClean: boolean): void => {
        if (state === 'closed') return;
        state = 'closed';
        clearTimeout(timer);
        controller?.abort();
        handlers.onClose({ code, reason, wasClean });
      };
      const fail = (error: DashwireError): void => {
        handlers.onError(error);
        finish(1006, error.message, false);
      };

      if (!spec || !fetchImpl) {
        queueMicrotask(() =>
          fail(new DashwireError('http_error', spec ? 'No fetch implementation available' : `Protocol "${protocol.name}" has no REST polling endpoints`)),
        );
        return { managesChannels: true, send() {}, close() {} };
      }

      const schedule = (delayMs: number): void => {
        if (state === 'closed') return;
        timer = setTimeout(round, delayMs);
        unrefTimer(timer);
      };

      /** Drops snapshot items already emitted for this request (per-preset dedupe rule). */
      const fresh = (request: PollRequest, items: Inbound[]): Inbound[] => {
        if (!spec.dedupeKey) return items;
        const before = seen.get(request.key) ?? new Set<string>();
        const now = new Set<string>();
        const out: Inbound[] = [];
        for (const item of items) {
          if (item.kind !== 'event') {
            out.push(item);
            continue;
          }
          const key = spec.dedupeKey(item as EventItem);
          now.add(key);
          if (!before.has(key)) out.push(item);
        }
        seen.set(request.key, now);
        return out;
      };

      type Outcome = { ok: boolean; waitMs?: number; fatal?: DashwireError; more?: boolean; unauthorized?: boolean };

      async function fetchOne(request: PollRequest, signal: AbortSignal): Promise<Outcome> {
        const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        const etag = etags.get(request.key);
        if (etag) headers['if-none-match'] = etag;
        const response = await fetchImpl!(request.url, { method: 'GET', headers, signal });
        if (response.status === 304) return { ok: true };
        // The token expired or was revoked: end the connection the way a WebSocket server does
        // (close 4001), so the client asks auth.token() again and reconnects; twice in a row stops it.
        if (response.status === 401 && authCloseCode !== undefined) return { ok: false, unauthorized: true };
        if (response.status === 429 || response.status === 503) {
          return { ok: response.status === 429, waitMs: retryAfterMs(response.headers.get('retry-after')) };
        }
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          return { ok: false, fatal: new DashwireError('http_error', `Polling ${request.key}: HTTP ${response.status}`, { details: { status: response.status } }) };
        }
        if (response.status < 200 || response.status >= 300) return { ok: false };
        const body = await response.text();
        if (isClosed()) return { ok: true };
        const max = options.maxMessageBytes;
        // Same rule as WebSocket frames: a huge body is refused before JSON.parse ever sees it.
        if (max !== undefined && (body.length > max || (body.length * 3 > max && new TextEncoder().encode(body).length > max))) {
          if (state === 'connecting') {
            state = 'open';
            handlers.onOpen();
          }
          handlers.onInbound([{ kind: 'malformed', reason: 'oversize', detail: `response body exceeds maxMessageBytes (${max})` }], body.slice(0, 1024));
          return { ok: true };
        }
        const tag = response.headers.get('etag');
        if (tag) etags.set(request.key, tag);
        if (state === 'connecting') {
          state = 'open';
          handlers.onOpen();
        }
        const page = asPage(spec!.decode(body, request));
        for (const item of page.items) if (item.kind === 'error' && item.channel !== undefined) refused.add(item.channel);
        handlers.onInbound(fresh(request, page.items), body);
        return { ok: true, more: page.more === true };
      }

      async function round(): Promise<void> {
        if (state === 'closed') return;
        const wanted = channels();
        for (const channel of refused) if (!wanted.some((c) => c.channel === channel)) refused.delete(channel);
        const requests = spec!.requests(
          url,
          wanted.filter((c) => !refused.has(c.channel)),
          limits,
        );
        controller = new AbortController();
        const { signal } = controller;
        let waitMs = 0;
        let ok = true;
        let fatal: DashwireError | undefined;
        let more = false;
        if (requests.length === 0 && state === 'connecting') {
          state = 'open';
          handlers.onOpen();
        }
        // Requests of one round run one after another: a round is a handful of channels,
        // and sequential order keeps each channel's events in order across requests.
        for (const request of requests) {
          try {
            const result = await fetchOne(request, signal);
            if (isClosed()) return;
            if (result.unauthorized) return finish(authCloseCode!, 'unauthorized', false);
            more ||= result.more === true;
            ok &&= result.ok;
            waitMs = Math.max(waitMs, result.waitMs ?? 0);
            fatal ??= result.fatal;
          } catch (cause) {
            if (isClosed()) return;
            ok = false;
            // fetch quotes the URL in some errors ("Failed to parse URL from …"); it may hold a token.
            if (state === 'connecting') fatal ??= new DashwireError('http_error', 'Polling request failed', { cause: scrubError(cause, request.url) });
          }
          if (isClosed()) return;
        }
        if (fatal && state === 'connecting') return fail(fatal);
        if (ok) {
          failures = 0;
          // A backlog comes in pages: fetch the next one now, but only if the cursors moved (a
          // client that could not take the page must not spin on the same request).
          const urls = requests.map((r) => r.url).join('\n');
          const moved = spec!.requests(url, channels().filter((c) => !refused.has(c.channel)), limits).map((r) => r.url).join('\n') !== urls;
          return schedule(more && moved && waitMs === 0 ? 0 : Math.max(intervalMs, waitMs));
        }
        failures++;
        if (state === 'connecting' || failures >= maxFailures) {
          return fail(fatal ?? new DashwireError('http_error', `Polling failed ${failures} time(s) in a row`, { details: { failures } }));
        }
        schedule(Math.max(waitMs, Math.min(maxBackoffMs, intervalMs * 2 ** failures)));
      }

      queueMicrotask(() => void round());
      return {
        managesChannels: true,
        send() {
          // Subscribe frames are not needed: each round reads channels() afresh.
        },
        close(code = 1000, reason = '') {
          finish(code, reason, true);
        },
      };
    },
  };
}
