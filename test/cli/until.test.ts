import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { until } from '../../src/cli/until.js';

describe('until (how serve, tail and demo wait)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const settled = (promise: Promise<void>): (() => boolean) => {
    let done = false;
    void promise.then(() => (done = true));
    return () => done;
  };

  it('resolves when the time is up, not before', async () => {
    const done = settled(until(new AbortController().signal, 1_000));
    await vi.advanceTimersByTimeAsync(999);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done()).toBe(true);
  });

  it('resolves at once on abort, and leaves no timer or listener behind', async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const done = settled(until(controller.signal, 60_000));
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('with Infinity, only the signal ends it; an aborted signal ends it at once', async () => {
    const controller = new AbortController();
    const done = settled(until(controller.signal, Infinity));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(done()).toBe(false);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done()).toBe(true);
    const again = settled(until(controller.signal, Infinity));
    await vi.advanceTimersByTimeAsync(0);
    expect(again()).toBe(true);
  });
});
