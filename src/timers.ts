/** Lets Node exit while this timer is pending; a no-op in browsers. */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

/** Longest delay setTimeout honours (2^31−1 ms); browsers and Node fire a longer one at once. */
export const maxTimerMs = 2_147_483_647;

let taskNow: number | undefined;
const endTask = (): void => {
  taskNow = undefined;
};

/**
 * The wall clock (unix ms) as of the current task: read once, then the same value until the
 * microtask queue drains. `ws` hands every frame of one socket read to the client in one task,
 * so a burst of 100 frames costs one `Date.now()` (≈ 50 ns each on the bench machine), and the
 * events of one read share one arrival time.
 */
export function taskTime(): number {
  if (taskNow === undefined) {
    taskNow = Date.now();
    queueMicrotask(endTask);
  }
  return taskNow;
}
