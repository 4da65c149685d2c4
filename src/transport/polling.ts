import { backoffDelay, resolveReconnect } from '../backoff.js';
import { DashwireError } from '../errors.js';
import { unrefTimer } from '../timers.js';
import { scrubError } from './redact.js';
import type { Connection, ConnectRequest, HttpRequest, Transport } from './types.js';

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
  /** Poll interval, in ms. @default 5000 */
  readonly intervalMs?: number;
  /** fetch implementation. @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Longest wait after repeated 5xx or network errors, in ms. @default 60000 */
  readonly maxBackoffMs?: number;
  /** Consecutive failed rounds (after having been open) before the connection counts as lost. @default 5 */
  readonly maxFailures?: number;
  /** Extra request headers. The connection's token is sent as `Authorization: Bearer …` on its own. */
  readonly headers?: Record<string, string>;
  /**
   * Close code for an HTTP 401, so the client treats it as refused credentials (refreshes the
   * token and reconnects). Without it, a 401 is an error like 403. @default none
   */
  readonly unauthorizedCloseCode?: number;
}

/** Polling defaults. @category Fallback */
export const pollingDefaults = { intervalMs: 5_000, maxBackoffMs: 60_000, maxFailures: 5 } as const;

/** Parses Retry-After (seconds or an HTTP date) into ms. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

type Outcome = { ok: boolean; waitMs?: number; fatal?: DashwireError; unauthorized?: boolean };

/**
 * HTTP polling that moves bytes only: each round it fetches the requests `poll()` gives it,
 * one after another (so each channel's events stay in order), and hands every body up with its
 * request's key. ETag / If-None-Match, Retry-After on 429 and 503, backoff on 5xx and network
 * errors (the client's `backoffDelay`), and every fetch abortable: `close()` aborts the request
 * in flight. What the requests are and what the bodies mean is the protocol's business.
 * @category Fallback
 */
export function pollingTransport(options: PollingTransportOptions = {}): Transport {
  const intervalMs = options.intervalMs ?? pollingDefaults.intervalMs;
  const maxFailures = options.maxFailures ?? pollingDefaults.maxFailures;
  // Doubling from the interval, capped, without jitter: one client polling one server.
  const backoff = resolveReconnect({
    initialDelayMs: intervalMs * 2,
    factor: 2,
    maxDelayMs: options.maxBackoffMs ?? pollingDefaults.maxBackoffMs,
    minDelayMs: 0,
    jitter: 'none',
  });
  return {
    kind: 'polling',
    connect({ handlers, token, poll }: ConnectRequest): Connection {
      const fetchImpl = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
      const etags = new Map<string, string>();
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
      const opened = (): void => {
        if (state !== 'connecting') return;
        state = 'open';
        handlers.onOpen();
      };

      if (!poll || !fetchImpl) {
        queueMicrotask(() =>
          fail(
            new DashwireError(
              'http_error',
              poll ? 'No fetch implementation available' : 'Nothing to poll (no poll plan)',
            ),
          ),
        );
        return { send() {}, close() {} };
      }

      const schedule = (delayMs: number): void => {
        if (state === 'closed') return;
        timer = setTimeout(() => void round(), delayMs);
        unrefTimer(timer);
      };

      async function fetchOne(request: HttpRequest, signal: AbortSignal): Promise<Outcome> {
        const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
        if (token !== undefined) headers.authorization = `Bearer ${token}`;
        const etag = etags.get(request.key);
        if (etag) headers['if-none-match'] = etag;
        const response = await fetchImpl!(request.url, { method: 'GET', headers, signal });
        if (response.status === 304) return { ok: true };
        // The token expired or was revoked: end the connection the way a WebSocket server does,
        // so the client asks auth.token() again and reconnects; twice in a row stops it.
        if (response.status === 401 && options.unauthorizedCloseCode !== undefined)
          return { ok: false, unauthorized: true };
        if (response.status === 429 || response.status === 503) {
          return { ok: response.status === 429, waitMs: retryAfterMs(response.headers.get('retry-after')) };
        }
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          return {
            ok: false,
            fatal: new DashwireError('http_error', `Polling ${request.key}: HTTP ${response.status}`, {
              details: { status: response.status },
            }),
          };
        }
        if (response.status < 200 || response.status >= 300) return { ok: false };
        const body = await response.text();
        if (isClosed()) return { ok: true };
        const tag = response.headers.get('etag');
        if (tag) etags.set(request.key, tag);
        opened();
        handlers.onMessage(body, request.key);
        return { ok: true };
      }

      async function round(): Promise<void> {
        if (state === 'closed') return;
        const { requests } = poll!();
        controller = new AbortController();
        const { signal } = controller;
        let waitMs = 0;
        let ok = true;
        let fatal: DashwireError | undefined;
        if (requests.length === 0) opened();
        for (const request of requests) {
          try {
            const result = await fetchOne(request, signal);
            if (isClosed()) return;
            if (result.unauthorized) return finish(options.unauthorizedCloseCode!, 'unauthorized', false);
            ok &&= result.ok;
            waitMs = Math.max(waitMs, result.waitMs ?? 0);
            fatal ??= result.fatal;
          } catch (cause) {
            if (isClosed()) return;
            ok = false;
            // fetch quotes the URL in some errors ("Failed to parse URL from …"); it may hold a token.
            if (state === 'connecting')
              fatal ??= new DashwireError('http_error', 'Polling request failed', {
                cause: scrubError(cause, request.url),
              });
          }
          if (isClosed()) return;
        }
        if (fatal && state === 'connecting') return fail(fatal);
        if (ok) {
          failures = 0;
          return schedule(poll!().immediate && waitMs === 0 ? 0 : Math.max(intervalMs, waitMs));
        }
        failures++;
        if (state === 'connecting' || failures >= maxFailures) {
          return fail(
            fatal ??
              new DashwireError('http_error', `Polling failed ${failures} time(s) in a row`, { details: { failures } }),
          );
        }
        schedule(Math.max(waitMs, backoffDelay(failures - 1, backoff, 1)));
      }

      queueMicrotask(() => void round());
      return {
        send() {
          // Nothing goes up a polling connection: each round reads poll() afresh.
        },
        close(code = 1000, reason = '') {
          finish(code, reason, true);
        },
      };
    },
  };
}
