/**
 * Screens that never go dead (#16 part 3): the pure rules the connection, heartbeat, token
 * source and page watcher apply. Documented in docs/reliability.md.
 */

/** Liveness defaults. @category Client */
export const livenessDefaults = {
  /**
   * A heartbeat tick arriving this much later than scheduled means the page or machine slept
   * (or the tab was frozen), in ms: the link is verified at once with the short probe deadline.
   * Chrome throttles timers of hidden tabs to about once a minute, so a late tick of less than
   * that is throttling, not sleep… but a ping costs little, and either way the link is checked.
   */
  wakeAfterMs: 5_000,
  /** A hidden tab's reconnect delays are this many times longer (its user is not looking). */
  hiddenBackoffFactor: 4,
  /** While `navigator.onLine` is false, dialing pauses; the pause re-reads it this often, in ms (in case `online` is missed). */
  offlineRecheckMs: 5_000,
  /** A token that expires within this margin counts as expired, in ms (clock skew, time to open). */
  tokenExpiryMarginMs: 5_000,
} as const;

/** Whether the runtime says it is offline (`navigator.onLine === false`); unknown counts as online. */
export function browserOffline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: unknown } }).navigator;
  return nav?.onLine === false;
}

/** A reconnect delay, lengthened for a hidden tab. */
export function hiddenDelay(
  delayMs: number,
  hidden: boolean,
  factor: number = livenessDefaults.hiddenBackoffFactor,
): number {
  return hidden ? delayMs * factor : delayMs;
}

/**
 * When a token expires, unix ms: the provider's `expiresAt` (a Date or unix ms), else a JWT's
 * `exp` claim (seconds); undefined when unknown. Never throws on odd input.
 */
export function tokenExpiry(token: string, expiresAt?: number | Date): number | undefined {
  if (expiresAt instanceof Date) return Number.isNaN(expiresAt.getTime()) ? undefined : expiresAt.getTime();
  if (typeof expiresAt === 'number' && Number.isFinite(expiresAt)) return expiresAt;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const base64 = parts[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const json = (globalThis as { atob?: (s: string) => string }).atob?.(
      base64.padEnd(Math.ceil(base64.length / 4) * 4, '='),
    );
    if (json === undefined) return undefined;
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a token with this expiry is stale now (within the margin). */
export function tokenExpired(expiresAtMs: number | undefined, now: number = Date.now()): boolean {
  return expiresAtMs !== undefined && expiresAtMs - livenessDefaults.tokenExpiryMarginMs <= now;
}
