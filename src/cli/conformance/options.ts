/**
 * What `dashwire check` is given and what it reports, shared by the runner and every rule module.
 */

/** Options of {@link runCheck}. @category CLI */
export interface CheckOptions {
  /** The server's WebSocket URL. */
  readonly url: string;
  /** Token to authenticate with; also enables the auth rules (§9). */
  readonly token?: string;
  /** REST polling base URL; `false` skips the REST rules. @default the WebSocket URL's origin over http(s) */
  readonly httpUrl?: string | false;
  /** A channel the server publishes on. @default 'prices' */
  readonly channel?: string;
  /** Longest wait for any one answer or event, in ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** Defaults of {@link CheckOptions}. @category CLI */
export const checkDefaults = { channel: 'prices', timeoutMs: 5_000 } as const;

/** One rule's outcome. @category CLI */
export interface RuleResult {
  /** Section of docs/protocol.md, e.g. `§5`. */
  readonly section: string;
  readonly rule: string;
  readonly ok: boolean;
  /** Why it failed. */
  readonly detail?: string;
}
