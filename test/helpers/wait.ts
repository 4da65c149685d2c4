/**
 * Polls `predicate` until it returns something truthy, and returns that; rejects after
 * `timeoutMs`. For real sockets only: with fake timers, advance the clock instead.
 */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  timeoutMs = 2_000,
  intervalMs = 5,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves after `ms` of real time; for asserting that something does NOT happen. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
