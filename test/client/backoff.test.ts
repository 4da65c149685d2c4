import { describe, expect, it } from 'vitest';
import { backoffDelay, resolveReconnect } from '../../src/client/backoff.js';

describe('backoffDelay', () => {
  const policy = resolveReconnect();

  it('grows exponentially from 500 ms and caps at 30 s (random = 1)', () => {
    const delays = Array.from({ length: 10 }, (_, attempt) => backoffDelay(attempt, policy, 1));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('full jitter never goes below the floor (random = 0)', () => {
    for (let attempt = 0; attempt < 20; attempt++) expect(backoffDelay(attempt, policy, 0)).toBe(100);
  });

  it('stays within [floor, base] for seeded random values', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let attempt = 0; attempt < 12; attempt++) {
      const base = Math.min(30_000, 500 * 2 ** attempt);
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(attempt, policy, random());
        expect(delay).toBeGreaterThanOrEqual(100);
        expect(delay).toBeLessThanOrEqual(base);
      }
    }
  });

  it('equal jitter keeps at least half the base', () => {
    const equal = resolveReconnect({ jitter: 'equal' });
    expect(backoffDelay(3, equal, 0)).toBe(2000);
    expect(backoffDelay(3, equal, 1)).toBe(4000);
  });

  it('does not overflow on very long outages', () => {
    expect(backoffDelay(10_000, policy, 1)).toBe(30_000);
  });

  it('keeps defaults when options carry undefined', () => {
    expect(resolveReconnect({ initialDelayMs: undefined }).initialDelayMs).toBe(500);
  });
});
