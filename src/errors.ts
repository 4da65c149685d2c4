/**
 * Machine-readable reason carried by every {@link DashwireError}.
 * Branch on `code`, never on `message`.
 * @category Errors
 */
export type DashwireErrorCode =
  | 'connect_failed'
  | 'connect_timeout'
  | 'connection_lost'
  | 'fatal_close'
  | 'heartbeat_timeout'
  | 'auth_failed'
  | 'token_failed'
  | 'handler_threw'
  | 'queue_full'
  | 'subscribe_failed'
  | 'server_error'
  | 'no_websocket'
  | 'insecure_url'
  | 'invalid_url'
  | 'max_attempts'
  | 'http_error'
  | 'resync_failed'
  | 'snapshot_failed'
  | 'snapshot_unavailable'
  | 'client_closed'
  | 'unknown';

/**
 * The one error class dashwire surfaces, through `error` events, subscription
 * state and rejected `ready` promises. It is never thrown out of a timer or a
 * socket callback.
 * @category Errors
 */
export class DashwireError extends Error {
  override readonly name = 'DashwireError';
  readonly code: DashwireErrorCode;
  /** Extra facts for diagnostics (close code, HTTP status, channel…). Never holds a token. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: DashwireErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...options.details });
  }

  /** Wraps anything thrown into a DashwireError, keeping an existing one as it is. */
  static from(cause: unknown, code: DashwireErrorCode = 'unknown'): DashwireError {
    if (cause instanceof DashwireError) return cause;
    const message = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'Unknown error';
    return new DashwireError(code, message, { cause });
  }
}

/**
 * Type guard for {@link DashwireError}, safe across bundle copies (checks the brand, not the prototype).
 * @category Errors
 */
export function isDashwireError(value: unknown): value is DashwireError {
  return (
    value instanceof DashwireError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'DashwireError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
