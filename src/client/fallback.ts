import type { DashwireError } from '../errors.js';
import { framePolling, type PollUrlFor } from '../protocol/frame-polling.js';
import { createPollCodec, type PollCodec } from '../protocol/poll-codec.js';
import type { Protocol } from '../protocol/types.js';
import { unrefTimer } from '../timers.js';
import { pollingTransport, type FetchLike } from '../transport/polling.js';
import type { Transport } from '../transport/types.js';
import { backoffDelay, resolveReconnect, type ResolvedReconnectOptions } from './backoff.js';
import { httpOrigin } from './environment.js';
import { Reports } from './reports.js';

/** Options of {@link polling}. @category Fallback */
export interface PollingFallbackOptions {
  /** Base HTTP URL of the polling endpoints. @default derived from the WebSocket URL (ws→http, path dropped) */
  readonly url?: string;
  /** Poll interval, in ms. @default the protocol's (native 2000, sentio 30000), else 5000 */
  readonly intervalMs?: number;
  /**
   * URL to poll per channel, for servers whose REST endpoints dashwire has no preset for: each
   * answers with a frame or a JSON array of frames in the server's WebSocket shape (see
   * `framePolling`). @default the protocol's own polling; without one, `<url>/poll/<channel>`
   */
  readonly urlFor?: PollUrlFor;
  /** Consecutive failed WebSocket attempts before falling back. @default 3 */
  readonly afterFailures?: number;
  /** Backoff of the WebSocket probe while polling. @default { initialDelayMs: 5000, maxDelayMs: 120000 } */
  readonly probe?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Remember (in sessionStorage) that WebSocket failed, and start on polling for this long. Off by default. */
  readonly remember?: { readonly ttlMs: number };
  /** fetch implementation for polling. @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Extra headers on every poll request. */
  readonly headers?: Record<string, string>;
}

/** What the fallback needs of a probe connection (a `Connection` in probe mode). */
export interface ProbeConnection {
  on(name: 'healthy' | 'down', listener: () => void): () => void;
  connect(): void;
  close(): Promise<void>;
}

/** What the client gives a fallback when it starts: values, and a factory for probe connections. */
export interface FallbackContext {
  readonly protocol: Protocol;
  readonly random: () => number;
  /** The client's first WebSocket URL (the probe's, and the polling URL's default origin). */
  readonly firstUrl: string;
  readonly maxMessageBytes: number;
  /** Whether this runtime can open WebSockets at all. */
  readonly hasWebSocket: boolean;
  /** A new connection in probe mode to the WebSocket endpoint (one attempt, reports `healthy`). */
  probe(): ProbeConnection;
}

/**
 * The `fallback` option's value: made by {@link polling}, so an app that never falls back does
 * not bundle the polling transport or this policy.
 * @category Fallback
 */
export interface FallbackStrategy {
  readonly kind: 'polling';
  /** Base URL of the REST endpoints, when given (checked like the WebSocket URLs). */
  readonly url: string | undefined;
  /** The options it was made with (a shared worker rebuilds it from their plain-data part). */
  readonly options: PollingFallbackOptions;
  /** Starts the policy for one client (called by the client, not by apps). @internal */
  start(context: FallbackContext): Fallback;
}

/** What the fallback tells the client: serve over polling now, or go back to WebSocket. */
export type FallbackReports = {
  enter: () => void;
  leave: () => void;
};

/** The fallback policy of one client (see {@link polling}). */
export interface Fallback extends Pick<Reports<FallbackReports>, 'on'> {
  /** The polling transport, the base URL it polls, and the protocol's side of polling. */
  readonly transport: Transport;
  readonly url: string;
  /** Makes the poll codec of one polling socket (requests, bodies, paging, snapshot de-duplication). */
  readonly poll: (baseUrl: string) => PollCodec;
  /** Whether to start on polling: no WebSocket here, or a remembered recent fallback. */
  shouldStartPolling(): boolean;
  /** A WebSocket attempt failed; returns true when the client now polls instead. */
  noteFailure(failures: number): boolean;
  /** A connection gave up for good: poll instead of stopping, unless the error is final anyway. */
  takeOver(error: DashwireError): boolean;
  /** Serves the feed over polling now and starts probing WebSocket (no-op while polling or closed). */
  enter(): void;
  /** Stops probing. */
  close(): void;
}

/** Fallback defaults. @category Fallback */
export const fallbackDefaults = { afterFailures: 3 } as const;

/** Default probe backoff while polling: first probe within 5 s, then up to every 2 min. @category Fallback */
export const probeDefaults = {
  initialDelayMs: 5_000,
  maxDelayMs: 120_000,
  factor: 2,
  minDelayMs: 1_000,
  jitter: 'full',
} as const;

type Storage = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};

function sessionStore(): Storage | undefined {
  try {
    return (globalThis as { sessionStorage?: Storage }).sessionStorage;
  } catch {
    return undefined; // Access can throw (privacy modes, sandboxed iframes).
  }
}

/**
 * REST polling as the client's fallback, passed as `fallback: polling({ … })`. The client
 * falls back after `afterFailures` consecutive failed WebSocket attempts, when the runtime has
 * no WebSocket, when a connection gives up, or on `usePolling()`. While polling, a probe
 * connection tries WebSocket with backoff; its first frame means healthy, and the client
 * switches back (resubscribing with `since` on the native protocol: nothing lost).
 *
 * ```ts
 * const client = createClient({ url, fallback: polling({ intervalMs: 2_000, afterFailures: 3 }) });
 * ```
 * @category Fallback
 */
export function polling(options: PollingFallbackOptions = {}): FallbackStrategy {
  return { kind: 'polling', url: options.url, options, start: (context) => startFallback(options, context) };
}

function startFallback(options: PollingFallbackOptions, context: FallbackContext): Fallback {
  const { protocol, hasWebSocket } = context;
  const reports = new Reports<FallbackReports>();
  const remember = options.remember;
  const probePolicy: ResolvedReconnectOptions = resolveReconnect({ ...probeDefaults, ...options.probe });
  // Protocols without REST endpoints of their own poll snapshots of their WebSocket frames.
  const spec =
    options.urlFor || !protocol.polling
      ? framePolling(protocol, options.intervalMs ?? 5_000, options.urlFor)
      : protocol.polling;
  const transport = pollingTransport({
    intervalMs: options.intervalMs ?? spec.intervalMs,
    fetch: options.fetch,
    headers: options.headers,
    // A 401 closes like the protocol's auth refusal, so the client refreshes the token.
    unauthorizedCloseCode: protocol.authFailure?.closeCodes?.[0],
  });
  const storageKey = `dashwire:polling:${context.firstUrl}`;
  let active = false;
  let closed = false;
  let probeAttempt = 0;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let probe: ProbeConnection | undefined;

  function enter(): void {
    if (active || closed) return;
    active = true;
    probeAttempt = 0;
    if (remember) sessionStore()?.setItem(storageKey, String(Date.now() + remember.ttlMs));
    reports.emit('enter');
    if (hasWebSocket) scheduleProbe();
  }

  function scheduleProbe(): void {
    if (closed || !active) return;
    const delay = backoffDelay(probeAttempt++, probePolicy, context.random());
    probeTimer = setTimeout(startProbe, delay);
    unrefTimer(probeTimer);
  }

  function startProbe(): void {
    const connection = context.probe();
    probe = connection;
    connection.on('healthy', () => {
      probe = undefined;
      if (active && !closed) leave();
    });
    connection.on('down', () => {
      probe = undefined;
      scheduleProbe();
    });
    connection.connect();
  }

  function leave(): void {
    active = false;
    if (remember) sessionStore()?.removeItem(storageKey);
    reports.emit('leave');
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    transport,
    // The server pages its answers below the size the client accepts.
    poll: (baseUrl) => createPollCodec(spec, baseUrl, { maxBytes: context.maxMessageBytes }),
    // Base URL of the REST endpoints: the option, else the WebSocket URL's origin over http(s).
    url: options.url || httpOrigin(context.firstUrl),
    shouldStartPolling() {
      if (!hasWebSocket) return true;
      if (!remember) return false;
      return Number(sessionStore()?.getItem(storageKey) ?? 0) > Date.now();
    },
    noteFailure(failures) {
      if (active || closed) return active;
      if (failures < (options.afterFailures ?? fallbackDefaults.afterFailures)) return false;
      enter();
      return true;
    },
    takeOver(error) {
      if (closed || error.code === 'auth_failed' || error.code === 'fatal_close') return false;
      enter();
      return true;
    },
    enter,
    close() {
      closed = true;
      clearTimeout(probeTimer);
      void probe?.close();
      probe = undefined;
      reports.clear();
    },
  };
}
