import { DashwireError } from '../errors.js';
import type { Protocol } from '../protocol/types.js';
import { maxTimerMs } from '../timers.js';
import type { CloseInfo } from '../transport/types.js';
import { backoffDelay, retryAfterFromReason, type ResolvedReconnectOptions } from './backoff.js';

/** What a connection does after an attempt ended (see {@link afterFailure}). */
export type NextStep =
  | { readonly kind: 'retry'; readonly delayMs: number }
  /** The server refused the credentials (close code): refresh the token and retry at once. */
  | { readonly kind: 'refresh' }
  | { readonly kind: 'stop'; readonly error: DashwireError };

/** The facts {@link afterFailure} decides on. */
export interface FailureFacts {
  readonly error: DashwireError;
  /** How the socket closed, when it did (not for a token provider that failed). */
  readonly info: CloseInfo | undefined;
  readonly protocol: Protocol;
  /** `false`: reconnecting is off (or a probe, which never retries). */
  readonly reconnect: ResolvedReconnectOptions | false;
  /** Consecutive failed attempts so far. */
  readonly attempts: number;
  /** The server's retry-after from an error frame, in ms (0 if none). */
  readonly toldMs: number;
  /** Whether the close code means the credentials were refused. */
  readonly refused: boolean;
  readonly random: () => number;
}

/**
 * The reconnect policy as a pure function: fatal close codes stop, auth refusals refresh, an
 * exhausted `maxAttempts` stops, anything else waits the server's delay (an error frame's
 * retry-after or the close reason's) plus the usual jittered backoff.
 */
export function afterFailure(facts: FailureFacts): NextStep {
  const { info, protocol, reconnect, attempts } = facts;
  if (info && protocol.fatalCloseCodes?.includes(info.code)) {
    return {
      kind: 'stop',
      error: new DashwireError('fatal_close', `Server closed with ${info.code}: ${info.reason}`, {
        details: { code: info.code, reason: info.reason },
      }),
    };
  }
  if (facts.refused) return { kind: 'refresh' };
  if (!reconnect) return { kind: 'stop', error: facts.error };
  if (attempts >= reconnect.maxAttempts)
    return {
      kind: 'stop',
      error: new DashwireError('max_attempts', `Gave up after ${attempts} attempts`, { cause: facts.error }),
    };
  const told = Math.max(facts.toldMs, info ? closeRetryAfterMs(protocol, info) : 0);
  const backoff = backoffDelay(attempts, reconnect, facts.random());
  // The server's delay first, then the usual jittered backoff on top: a thousand clients told
  // the same retry-after must not all come back in the same millisecond. Clamped, because a
  // longer setTimeout fires at once (a hostile retry-after would cause a storm, not a pause).
  return { kind: 'retry', delayMs: Math.min(maxTimerMs, told > 0 ? told + backoff : backoff) };
}

/** Server-directed backoff in a close frame: the protocol's hook, else `retry-after=<seconds>` in the reason; 0 if none. */
function closeRetryAfterMs(protocol: Protocol, info: CloseInfo): number {
  let ms: number | undefined;
  try {
    ms = protocol.retryAfterFromClose ? protocol.retryAfterFromClose(info) : retryAfterFromReason(info.reason);
  } catch {
    ms = undefined; // a throwing hook must not break the reconnect loop
  }
  return typeof ms === 'number' && ms > 0 ? ms : 0;
}
