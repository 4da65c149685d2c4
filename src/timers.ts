/** Lets Node exit while this timer is pending; a no-op in browsers. */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}

/** Longest delay setTimeout honours (2^31−1 ms); browsers and Node fire a longer one at once. */
export const maxTimerMs = 2_147_483_647;
