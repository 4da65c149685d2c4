import { DashwireError } from '../errors.js';
import type { Inbound, Protocol } from '../protocol/types.js';

/** Shortest heartbeat interval a server's `welcome` may impose, in ms. */
export const minServerHeartbeatMs = 1_000;

/** What one control frame means for its connection (see {@link Session.control}). */
export type SessionOutcome =
  /** Not a control frame: it goes on to the receive path. */
  | { readonly kind: 'pass' }
  /** Handled here; nothing else to do. */
  | { readonly kind: 'done' }
  /** The server announced its heartbeat interval (welcome), in ms, already floored. */
  | { readonly kind: 'heartbeat'; readonly intervalMs: number }
  /** A pong measured the round trip, in ms. */
  | { readonly kind: 'rtt'; readonly ms: number }
  /** The server refused the credentials (an error frame with an auth code). */
  | { readonly kind: 'refused'; readonly error: DashwireError };

/** One object for every item that passes: the receive path calls `control()` per item. */
const passOutcome: SessionOutcome = { kind: 'pass' };

/**
 * The control side of one socket, in one place: the welcome (server version, heartbeat
 * interval), ping/pong round trips, server-directed backoff (retry-after), and whether the
 * server refused the credentials (by close code or by error code). A new session per socket.
 */
export class Session {
  /** Protocol version the server announced in its welcome. */
  version: string | undefined;
  private readonly pings = new Map<number, number>();
  private retryAfterMs = 0;

  /** `fixedInterval`: the user chose the heartbeat interval, so a welcome does not replace it. */
  constructor(
    private readonly protocol: Protocol,
    private readonly fixedInterval: boolean,
  ) {}

  /** Records a ping sent now; only the latest is kept (an older one's pong is not a round trip). */
  pingSent(id: number): void {
    this.pings.clear();
    this.pings.set(id, Date.now());
  }

  /** Reads one decoded item: control frames are handled (the outcome says what follows), others pass. */
  control(item: Inbound): SessionOutcome {
    switch (item.kind) {
      case 'welcome':
        this.version = item.version;
        // Floored: a server announcing heartbeatMs: 1 would have us ping it a thousand times a second.
        if (item.heartbeatMs !== undefined && !this.fixedInterval)
          return { kind: 'heartbeat', intervalMs: Math.max(minServerHeartbeatMs, item.heartbeatMs) };
        return { kind: 'done' };
      case 'pong': {
        const sentAt = item.id === undefined ? this.pings.values().next().value : this.pings.get(item.id);
        return sentAt === undefined ? { kind: 'done' } : { kind: 'rtt', ms: Date.now() - sentAt };
      }
      case 'error':
        if (item.retryAfterMs !== undefined) this.retryAfterMs = item.retryAfterMs;
        if (this.protocol.authFailure?.errorCodes?.includes(item.code)) {
          const details = { code: item.code, channel: item.channel, id: item.id };
          return {
            kind: 'refused',
            error: new DashwireError('auth_failed', item.message || 'Unauthorized', { details }),
          };
        }
        return passOutcome;
      default:
        return passOutcome;
    }
  }

  /** Whether a close code means the credentials were refused. */
  refusedByClose(code: number): boolean {
    return this.protocol.authFailure?.closeCodes?.includes(code) === true;
  }

  /** The server's last retry-after, in ms (0 if none), cleared by reading it. */
  takeRetryAfter(): number {
    const ms = this.retryAfterMs;
    this.retryAfterMs = 0;
    return ms;
  }
}
