/** Reconnection timing. @category Client */
export interface ReconnectOptions {
  /** Upper bound of the first delay, in ms. @default 500 */
  readonly initialDelayMs?: number;
  /** Cap of any delay, in ms. @default 30000 */
  readonly maxDelayMs?: number;
  /** Growth per attempt. @default 2 */
  readonly factor?: number;
  /** No reconnect happens sooner than this after a drop, in ms. @default 100 */
  readonly minDelayMs?: number;
  /**
   * `full`: uniform in [minDelayMs, base]; `equal`: uniform in [base/2, base]; `none`: base.
   * Full jitter spreads a thousand dropped clients best (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
   * @default 'full'
   */
  readonly jitter?: 'full' | 'equal' | 'none';
  /** Consecutive failed attempts before giving up (state `closed`, error `max_attempts`). @default Infinity */
  readonly maxAttempts?: number;
  /** A connection counts as healthy (and resets the attempt counter) after its first frame and this long up, in ms. @default 5000 */
  readonly healthyAfterMs?: number;
}

/** Defaults of {@link ReconnectOptions}. @category Client */
export const reconnectDefaults = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  minDelayMs: 100,
  jitter: 'full',
  maxAttempts: Number.POSITIVE_INFINITY,
  healthyAfterMs: 5_000,
} as const satisfies Required<ReconnectOptions>;

/** Reconnect options with every default filled in. @category Client */
export type ResolvedReconnectOptions = { readonly [K in keyof ReconnectOptions]-?: NonNullable<ReconnectOptions[K]> };

/** Fills in defaults. @category Client */
export function resolveReconnect(options: ReconnectOptions = {}): ResolvedReconnectOptions {
  const r = { ...reconnectDefaults, ...stripUndefined(options) };
  return { ...r, minDelayMs: Math.min(r.minDelayMs, r.maxDelayMs) };
}

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry), in ms.
 * A pure function of its inputs: pass `random` to make it deterministic.
 * @category Client
 */
export function backoffDelay(
  attempt: number,
  options: ResolvedReconnectOptions,
  random: number = Math.random(),
): number {
  const { initialDelayMs, maxDelayMs, factor, minDelayMs, jitter } = options;
  // Exponent capped so factor ** attempt cannot overflow to Infinity on a long outage.
  const base = Math.min(maxDelayMs, initialDelayMs * factor ** Math.min(attempt, 64));
  const floor = Math.min(minDelayMs, base);
  switch (jitter) {
    case 'none':
      return Math.max(floor, base);
    case 'equal':
      return Math.max(floor, base / 2 + (random * base) / 2);
    default:
      return floor + random * (base - floor);
  }
}

/** Removes keys whose value is undefined, so spreading options never erases a default. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}

/**
 * Server-directed backoff in a WebSocket close reason: `retry-after=<seconds>` (decimals
 * allowed, case-insensitive, anywhere in the reason), in ms; undefined when absent.
 * @category Client
 */
export function retryAfterFromReason(reason: string): number | undefined {
  const match = /(?:^|[\s;,])retry-after\s*=\s*(\d+(?:\.\d+)?)/i.exec(reason);
  if (!match) return undefined;
  const seconds = Number(match[1]);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}
