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

/**
 * Decides when the client falls back to REST polling and when it goes back.
 * Falls back after `afterFailures` consecutive failed WebSocket attempts, when the
 * runtime has no WebSocket, when a link gives up, or on request. While polling, a
 * probe connection tries WebSocket with backoff; its first frame means healthy,
 * and the client switches back.
 */
export class FallbackController {
  active = false;
  private probeAttempt = 0;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private probeConnection: Connection | undefined;
  private probeId = 0;
  private closed = false;
  private readonly probePolicy: ResolvedReconnectOptions;

  constructor(
    private readonly options: FallbackOptions,
    private readonly host: FallbackHost,
    private readonly hasWebSocket: boolean,
  ) {
    this.probePolicy = resolveReconnect({ ...probeDefaults, ...options.probe });
  }

  private get storageKey(): string {
    return `dashwire:polling:${this.host.probeUrl()}`;
  }

  /** Whether to start on polling: no WebSocket here, or a remembered recent fallback. */
  shouldStartPolling(): boolean {
    if (!this.hasWebSocket) return true;
    if (!this.options.remember) return false;
    const until = Number(sessionStore()?.getItem(this.storageKey) ?? 0);
    return until > Date.now();
  }

  /** A WebSocket attempt failed; returns true when the client now polls instead. */
  noteFailure(failures: number): boolean {
    if (this.active || this.closed) return this.active;
    if (failures < (this.options.afterFailures ?? clientDefaults.afterFailures)) return false;
    this.enter('failures');
    return true;
  }

  /** A link gave up for good: poll instead of stopping, unless the error is final anyway. */
  takeOver(error: DashwireError): boolean {
    if (this.closed || error.code === 'auth_failed' || error.code === 'fatal_close') return false;
    this.enter(error.code);
    return true;
  }

  enter(reason: string): void {
    if (this.active || this.closed) return;
    this.active = true;
    this.probeAttempt = 0;
    if (this.options.remember) sessionStore()?.setItem(this.storageKey, String(Date.now() + this.options.remember.ttlMs));
    this.host.enterPolling(reason);
    if (this.hasWebSocket) this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed || !this.active) return;
    const delay = backoffDelay(this.probeAttempt++, this.probePolicy, this.host.random());
    this.probeTimer = setTimeout(() => void this.probe(), delay);
    unrefTimer(this.probeTimer);
  }

  private async probe(): Promise<void> {
    const id = ++this.probeId;
    const { protocol } = this.host;
    let token: string | undefined;
    try {
      token = await this.host.token();
    } catch {
      return this.scheduleProbe();
    }
    if (id !== this.probeId || this.closed || !this.active) return;
    let url = this.host.probeUrl();
    if (token !== undefined && protocol.authUrl) url = protocol.authUrl(url, token);
    let settled = false;
    const done = (healthy: boolean): void => {
      if (settled || id !== this.probeId) return;
      settled = true;
      clearTimeout(silence);
      const connection = this.probeConnection;
      this.probeConnection = undefined;
      connection?.close(1000, 'probe done');
      if (healthy && this.active && !this.closed) this.leave();
      else this.scheduleProbe();
    };
    // A probe that opens but never delivers a frame is a proxy that swallows frames.
    const silence = setTimeout(() => done(false), Math.max(protocol.heartbeat.timeoutMs, 5_000));
    unrefTimer(silence);
    this.probeConnection = this.host.probeTransport().connect({
      url,
      protocol,
      channels: () => [],
      handlers: {
        onOpen: () => {
          const greet = (): void => {
            if (token !== undefined) {
              const auth = protocol.encodeAuth?.(token);
              if (auth) this.probeConnection?.send(auth);
            }
            const ping = protocol.encodePing(0);
            if (ping) this.probeConnection?.send(ping);
          };
          // A transport that opens synchronously, inside connect(), has not returned the connection yet.
          if (this.probeConnection) greet();
          else queueMicrotask(greet);
        },
        onMessage: () => done(true),
        onInbound: () => done(true),
        onError: () => {},
        onClose: () => done(false),
      },
    });
  }

  private leave(): void {
    this.active = false;
    if (this.options.remember) sessionStore()?.removeItem(this.storageKey);
    this.host.leavePolling();
  }

  /** Stops probing; the client closes its polling link itself. */
  close(): void {
    this.closed = true;
    this.probeId++;
    clearTimeout(this.probeTimer);
    this.probeConnection?.close(1000, 'client closed');
    this.probeConnection = undefined;
  }
}
