import { maxTimerMs, unrefTimer } from '../timers.js';

/** Named one-shot timers of one unit: starting a name replaces its timer; `clear()` stops them all. */
export class TimerSet<N extends string> {
  private readonly timers = new Map<N, ReturnType<typeof setTimeout>>();

  /**
   * Runs `run` once after `ms` (clamped: a longer setTimeout fires at once). Timers are unref'd
   * (an idle client never keeps Node alive) unless `ref` is set.
   */
  start(name: N, ms: number, run: () => void, ref = false): void {
    this.stop(name);
    const timer = setTimeout(
      () => {
        this.timers.delete(name);
        run();
      },
      Math.min(maxTimerMs, Math.max(0, ms)),
    );
    if (!ref) unrefTimer(timer);
    this.timers.set(name, timer);
  }

  stop(name: N): void {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
