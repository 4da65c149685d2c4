import { DashwireError } from '../errors.js';
import type { Protocol } from '../protocol/types.js';
import { unrefTimer } from '../timers.js';
import type { Connection, Transport } from '../transport/types.js';
import { backoffDelay, resolveReconnect, type ResolvedReconnectOptions } from './backoff.js';
import { clientDefaults, type FallbackOptions } from './options.js';

/** What the fallback policy needs from its client. */
export interface FallbackHost {
  readonly protocol: Protocol;
  random(): number;
  /** Stop the WebSocket links and serve the feed over polling. */
  enterPolling(reason: string): void;
  /** Stop polling and reconnect the WebSocket links (they resubscribe with `since`). */
  leavePolling(): void;
  probeTransport(): Transport;
  probeUrl(): string;
  token(): Promise<string | undefined>;
}

/** Default probe backoff while polling: first probe within 5 s, then up to every 2 min. */
export const probeDefaults = { initialDelayMs: 5_000, maxDelayMs: 120_000, factor: 2, minDelayMs: 1_000, jitter: 'full' } as const;

type Storage = { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };

function sessionStore(): Storage | undefined {
  try {
    return (globalThis as { sessionStorage?: Storage }).sessionStorage;
  } catch {
    return undefined; // Access can throw (privacy modes, sandboxed iframes).
  }
}

/** The fallback policy, as the client drives it. */
export interface Fallback {
  /** Whether to start on polling: no WebSocket here, or a remembered recent fallback. */
  shouldStartPolling(): boolean;
  /** A WebSocket attempt failed; returns true when the client now polls instead. */
  noteFailure(failures: number): boolean;
  /** A link gave up for good: poll instead of stopping, unless the error is final anyway. */
  takeOver(error: DashwireError): boolean;
  /** Serves the feed over polling now and starts probing WebSocket (no-op while polling or closed). */
  enter(reason: string): void;
  /** Stops probing; the client closes its polling link itself. */
  close(): void;
}

/**
 * Decides when the client falls back to REST polling and when it goes back.
 * Falls back after `afterFailures` consecutive failed WebSocket attempts, when the
 * runtime has no WebSocket, when a link gives up, or on request. While polling, a
 * probe connection tries WebSocket with backoff; its first frame means healthy,
 * and the client switches back.
 */
export function createFallback(options: FallbackOptions, host: FallbackHost, hasWebSocket: boolean): Fallback {
  const { protocol } = host;
  const remember = options.remember;
  const probePolicy: ResolvedReconnectOptions = resolveReconnect({ ...probeDefaults, ...options.probe });
  let active = false;
  let closed = false;
  let probeAttempt = 0;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let probeConnection: Connection | undefined;
  let probeId = 0;

  const storageKey = (): string => `dashwire:polling:${host.probeUrl()}`;

  function enter(reason: string): void {
    if (active || closed) return;
    active = true;
    probeAttempt = 0;
    if (remember) sessionStore()?.setItem(storageKey(), String(Date.now() + remember.ttlMs));
    host.enterPolling(reason);
    if (hasWebSocket) scheduleProbe();
  }

  function scheduleProbe(): void {
    if (closed || !active) return;
    const delay = backoffDelay(probeAttempt++, probePolicy, host.random());
    probeTimer = setTimeout(() => void probe(), delay);
    unrefTimer(probeTimer);
  }

  async function probe(): Promise<void> {
    const id = ++probeId;
    let token: string | undefined;
    try {
      token = await host.token();
    } catch {
      return scheduleProbe();
    }
    if (id !== probeId || closed || !active) return;
    let url = host.probeUrl();
    if (token !== undefined && protocol.authUrl) url = protocol.authUrl(url, token);
    let settled = false;
    const done = (healthy: boolean): void => {
      if (settled || id !== probeId) return;
      settled = true;
      clearTimeout(silence);
      const connection = probeConnection;
      probeConnection = undefined;
      connection?.close(1000, 'probe done');
      if (healthy && active && !closed) leave();
      else scheduleProbe();
    };
    // A probe that opens but never delivers a frame is a proxy that swallows frames.
    const silence = setTimeout(() => done(false), Math.max(protocol.heartbeat.timeoutMs, 5_000));
    unrefTimer(silence);
    probeConnection = host.probeTransport().connect({
      url,
      protocol,
      channels: () => [],
      handlers: {
        onOpen: () => {
          const greet = (): void => {
            if (token !== undefined) {
              const auth = protocol.encodeAuth?.(token);
              if (auth) probeConnection?.send(auth);
            }
            const ping = protocol.encodePing(0);
            if (ping) probeConnection?.send(ping);
          };
          // A transport that opens synchronously, inside connect(), has not returned the connection yet.
          if (probeConnection) greet();
          else queueMicrotask(greet);
        },
        onMessage: () => done(true),
        onInbound: () => done(true),
        onError: () => {},
        onClose: () => done(false),
      },
    });
  }

  function leave(): void {
    active = false;
    if (remember) sessionStore()?.removeItem(storageKey());
    host.leavePolling();
  }

  return {
    shouldStartPolling() {
      if (!hasWebSocket) return true;
      if (!remember) return false;
      const until = Number(sessionStore()?.getItem(storageKey()) ?? 0);
      return until > Date.now();
    },
    noteFailure(failures) {
      if (active || closed) return active;
      if (failures < (options.afterFailures ?? clientDefaults.afterFailures)) return false;
      enter('failures');
      return true;
    },
    takeOver(error) {
      if (closed || error.code === 'auth_failed' || error.code === 'fatal_close') return false;
      enter(error.code);
      return true;
    },
    enter,
    close() {
      closed = true;
      probeId++;
      clearTimeout(probeTimer);
      probeConnection?.close(1000, 'client closed');
      probeConnection = undefined;
    },
  };
}
