/**
 * How hooks that show data batch their re-renders: `'frame'` (once per animation
 * frame; `setTimeout(16)` where there is no `requestAnimationFrame`), a number
 * of milliseconds, or `false` (re-render on every event).
 * @category React
 */
export type Coalesce = 'frame' | number | false;

/** Defaults of the React bindings. @category React */
export const reactDefaults = {
  /** Re-render data hooks at most once per animation frame. */
  coalesce: 'frame' as Coalesce,
  /**
   * How long a released subscription (and a provider-owned client) is kept, in ms.
   * Long enough to absorb StrictMode's double effects and Fast Refresh remounts,
   * short enough that a panel that goes away stops costing bandwidth.
   */
  graceMs: 250,
  /** Entries kept by `useEventLog` when no `limit` is given. */
  logLimit: 50,
} as const;

/** Runs queued flushes together, so every hook notified in one batch re-renders in one React pass (custom hooks reading {@link DashwireContext} use it). @category React */
export interface Scheduler {
  /** Queues `flush` for the next batch (next frame, or after the configured ms); a flush queued twice runs once. */
  schedule(flush: () => void): void;
}

const FRAME_FALLBACK_MS = 16;

/** Queues flushes and runs them together on the next frame (or after `mode` ms). */
function batchScheduler(mode: 'frame' | number): Scheduler {
  let queue = new Set<() => void>();
  const run = (): void => {
    const flushes = queue;
    queue = new Set();
    for (const flush of flushes) flush();
  };
  return {
    schedule(flush) {
      // An empty queue means no timer is armed: the first flush of a batch arms it.
      if (queue.size === 0) {
        // Looked up on every arm (not at import) so fake timers installed by tests and
        // a DOM that appears after import are honoured.
        const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => unknown }).requestAnimationFrame;
        if (mode === 'frame' && typeof raf === 'function') raf(run);
        else setTimeout(run, mode === 'frame' ? FRAME_FALLBACK_MS : mode);
      }
      queue.add(flush);
    },
  };
}

const immediate: Scheduler = { schedule: (flush) => flush() };
const shared = new Map<'frame' | number, Scheduler>();

/** The one shared scheduler of a coalescing mode (sharing is what makes one frame one render pass). @internal @category React */
export function schedulerFor(mode: Coalesce): Scheduler {
  if (mode === false) return immediate;
  const key = mode === 'frame' ? mode : Math.max(0, mode);
  let scheduler = shared.get(key);
  if (!scheduler) shared.set(key, (scheduler = batchScheduler(key)));
  return scheduler;
}
