import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHeartbeat } from '../../src/client/heartbeat.js';

function setup(options: { ping?: boolean; hidden?: boolean } = {}) {
  const pings: number[] = [];
  const dead: number[] = [];
  let hidden = options.hidden ?? false;
  const hb = createHeartbeat(
    { intervalMs: 10_000, timeoutMs: 5_000, hiddenTimeoutMs: 30_000 },
    { canPing: options.ping !== false, isHidden: () => hidden },
  );
  hb.on('ping', () => void pings.push(Date.now()));
  hb.on('dead', (ms) => void dead.push(ms));
  return { hb, pings, dead, setHidden: (h: boolean) => (hidden = h) };
}

describe('Heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('pings after the interval of quiet and declares death after the timeout', () => {
    const { hb, pings, dead } = setup();
    hb.start();
    vi.advanceTimersByTime(9_999);
    expect(pings).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(pings).toEqual([10_000]);
    vi.advanceTimersByTime(4_999);
    expect(dead).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(dead).toEqual([15_000]);
  });

  it('under a steady stream sends no ping; once it stops, pings no later than the interval after the last frame', () => {
    const { hb, pings, dead } = setup();
    hb.start();
    // A frame every 100 ms for 60 s: the clock is read once per tick, not per frame.
    for (let t = 0; t < 60_000; t += 100) {
      vi.advanceTimersByTime(100);
      hb.frame();
    }
    expect(pings).toEqual([]);
    // The last frame came at 60 s: the ping is due by 70 s (it may go earlier, never later).
    vi.advanceTimersByTime(10_000);
    expect(pings).toHaveLength(1);
    expect(pings[0]).toBeGreaterThan(60_000);
    expect(pings[0]).toBeLessThanOrEqual(70_000);
    vi.advanceTimersByTime(5_000);
    expect(dead).toHaveLength(1);
    hb.stop();
  });

  it('any frame proves liveness and postpones the ping', () => {
    const { hb, pings, dead } = setup();
    hb.start();
    vi.advanceTimersByTime(8_000);
    hb.frame();
    vi.advanceTimersByTime(8_000);
    expect(pings).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(pings).toEqual([18_000]);
    vi.advanceTimersByTime(1_000);
    hb.frame(); // the pong, at 19 s
    vi.advanceTimersByTime(14_999);
    expect(pings).toEqual([18_000, 29_000]);
    expect(dead).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(dead).toEqual([15_000]); // 15 s since the pong: ping at 29 s unanswered by 34 s
    hb.stop();
  });

  it('without a ping frame it is an idle watchdog: quiet beyond interval + timeout is death', () => {
    const { hb, dead } = setup({ ping: false });
    hb.start();
    vi.advanceTimersByTime(14_999);
    expect(dead).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(dead).toEqual([15_000]);
  });

  it('a late tick (throttled tab, sleep) sends a probe instead of a false timeout', () => {
    const { hb, pings, dead } = setup();
    hb.start();
    // The timer due at 10 s fires at 70 s: the wall clock jumped while no timer ran.
    vi.setSystemTime(60_000);
    vi.advanceTimersByTime(10_000);
    expect(dead).toEqual([]);
    expect(pings).toEqual([70_000]);
    hb.frame();
    vi.advanceTimersByTime(5_000);
    expect(dead).toEqual([]);
    hb.stop();
  });

  it('uses the relaxed timeout while the page is hidden', () => {
    const { hb, dead } = setup({ hidden: true });
    hb.start();
    vi.advanceTimersByTime(10_000 + 29_999);
    expect(dead).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(dead).toHaveLength(1);
  });

  it('check() probes now with its own short timeout', () => {
    const { hb, pings, dead } = setup();
    hb.start();
    vi.advanceTimersByTime(1_000);
    hb.check(3_000);
    expect(pings).toEqual([1_000]);
    vi.advanceTimersByTime(3_000);
    expect(dead).toHaveLength(1);
  });

  it('stop() leaves no timer behind', () => {
    const { hb } = setup();
    hb.start();
    hb.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
