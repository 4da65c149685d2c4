import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dashboardChannels, dashboardEvents } from '../../src/protocol/dashboard-catalog.js';
import { decodeNative } from '../../src/protocol/native.js';
import { createFeedEngine } from '../../src/server/engine.js';
import { nativeFeed, seededRandom } from '../../src/server/native-feed.js';
import { fakeSocket } from './fake-socket.js';

describe('native synthetic feed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('emits every message type, each valid against dashboardEvents, on its catalogue channel', () => {
    const next = nativeFeed(seededRandom(7));
    const items = Array.from({ length: 2_000 }, (_, i) => next(1_700_000_000_000 + i));
    expect(items.slice(0, 4).map((i) => i.type)).toEqual(['price_update', 'trade', 'alert', 'portfolio_value']);
    for (const item of items) {
      const schema = dashboardEvents[item.type as keyof typeof dashboardEvents];
      const result = schema.safeParse(item.data);
      expect(result.success, `${item.type}: ${JSON.stringify(item.data)}`).toBe(true);
      expect(dashboardChannels[item.channel as keyof typeof dashboardChannels]).toBe(item.type);
    }
    const counts = Object.fromEntries(
      Object.keys(dashboardEvents).map((t) => [t, items.filter((i) => i.type === t).length]),
    );
    expect(Math.min(...Object.values(counts))).toBeGreaterThan(20);
    expect(counts.price_update).toBeGreaterThan(counts.alert!);
  });

  it('walks prices as decimal strings that stay plausible over a long run', () => {
    const next = nativeFeed(seededRandom(1));
    const btc: number[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const item = next(i);
      if (item.type !== 'price_update') continue;
      const data = item.data as { symbol: string; price: string };
      expect(data.price).toMatch(/^\d+\.\d{2}$/);
      if (data.symbol === 'BTC') btc.push(Number(data.price));
    }
    expect(new Set(btc).size).toBeGreaterThan(100);
    expect(Math.min(...btc)).toBeGreaterThan(64_000 * 0.5);
    expect(Math.max(...btc)).toBeLessThan(64_000 * 1.5);
  });

  it('publishes at the configured rate; frames decode with the client protocol', async () => {
    const engine = createFeedEngine({ feed: { rate: 50 }, random: seededRandom(3) });
    const client = fakeSocket();
    engine.accept(client.socket);
    Object.keys(dashboardChannels).forEach((channel, id) => client.receive({ op: 'subscribe', id, channel }));
    await vi.advanceTimersByTimeAsync(2_000);
    const events = client.frames().filter((f) => f.op === 'event');
    expect(events.length).toBeGreaterThanOrEqual(99);
    expect(events.length).toBeLessThanOrEqual(101);
    for (const frame of client.sent.filter((f) => f.includes('"op":"event"'))) {
      const [item] = decodeNative(frame);
      expect(item?.kind).toBe('event');
      if (item?.kind !== 'event') continue;
      expect(dashboardEvents[item.type as keyof typeof dashboardEvents].safeParse(item.data).success).toBe(true);
    }
    engine.setFeed({ rate: 500 });
    const before = events.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.frames().filter((f) => f.op === 'event').length - before).toBeGreaterThanOrEqual(499);
    engine.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is repeatable with a seeded random', () => {
    const a = nativeFeed(seededRandom(42));
    const b = nativeFeed(seededRandom(42));
    for (let i = 0; i < 100; i += 1) expect(a(i)).toEqual(b(i));
  });
});
