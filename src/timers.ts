/** Lets Node exit while this timer is pending; a no-op in browsers. */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
