import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFeedTimer } from '../../src/server/feed-timer.js';

describe('feed timer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits at the rate, and nothing after it is stopped', async () => {
    let emitted = 0;
    const stop = startFeedTimer(20, () => (emitted += 1), Date.now);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(emitted).toBe(20);
    await vi.advanceTimersByTimeAsync(500);
    expect(emitted).toBe(30);
    stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(emitted).toBe(30);
  });

  it('keeps a rate above what its timer can tick by emitting several per tick', async () => {
    let emitted = 0;
    const stop = startFeedTimer(500, () => (emitted += 1), Date.now);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(emitted).toBe(500);
    stop();
  });

  it('catches up after a stalled clock, but by at most one second of events', async () => {
    let emitted = 0;
    let clock = Date.now();
    const stop = startFeedTimer(
      10,
      () => (emitted += 1),
      () => clock,
    );
    clock += 5_000; // the timer was throttled for five seconds
    await vi.advanceTimersByTimeAsync(100);
    expect(emitted).toBe(10);
    clock += 100;
    await vi.advanceTimersByTimeAsync(100);
    expect(emitted).toBe(11);
    stop();
  });
});
