import type { OutputStream } from './output.js';

/** What the CLI needs from its process; tests pass their own. */
export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Aborted on Ctrl-C: the command closes everything and returns. */
  readonly signal: AbortSignal;
}

/** Exit codes: 0 clean, 1 usage, 2 connection given up, 3 `infer --check` found untyped frames. */
export const exitCodes = { ok: 0, usage: 1, gaveUp: 2, checkFailed: 3 } as const;
