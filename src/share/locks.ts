/**
 * The slice of the Web Locks API (`navigator.locks`) that sharing uses, so tests can pass an
 * in-memory fake with the same semantics.
 */

/** Options of {@link LockManagerLike.request} that sharing uses. @category Sharing */
export interface LockRequestOptions {
  /** Aborts a request still waiting for the lock (the promise rejects with an `AbortError`). */
  readonly signal?: AbortSignal;
  /** Grant only if free now; otherwise the callback gets `null` at once. */
  readonly ifAvailable?: boolean;
}

/**
 * Exclusive named locks, held while the callback's promise is pending and released when the
 * holder's context (tab, worker) ends. @category Sharing
 */
export interface LockManagerLike {
  /** Waits for the lock, runs `callback` holding it, and releases it when the callback's promise settles. */
  request(name: string, options: LockRequestOptions, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/** The context's lock manager, if it has one (secure contexts in every current browser). */
export function webLocks(): LockManagerLike | undefined {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks && typeof locks.request === 'function' ? locks : undefined;
}
