import { unrefTimer } from '../timers.js';

/**
 * Calls `emit` `rate` times a second on average until the returned function is called.
 * It catches up by elapsed time rather than one event a tick: timers are coarse and get
 * throttled, and the rate should hold anyway (but never bursts more than a second's worth).
 * @param rate Events per second, > 0.
 */
export function startFeedTimer(rate: number, emit: () => void, now: () => number): () => void {
  const started = now();
  let emitted = 0;
  const tick = (): void => {
    const due = Math.floor(((now() - started) * rate) / 1000) - emitted;
    const count = Math.min(due, Math.ceil(rate));
    emitted += Math.max(due, 0);
    for (let i = 0; i < count; i += 1) emit();
  };
  const timer = setInterval(tick, Math.min(1000, Math.max(10, 1000 / rate)));
  unrefTimer(timer);
  return () => clearInterval(timer);
}
