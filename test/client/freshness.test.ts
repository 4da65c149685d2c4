import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, freshnessDefaults, type Client, type DashboardEvents } from '../../src/index.js';
import { fakeTransport, settle } from '../helpers/fake-transport.js';

const tick = (symbol: string, i: number) => ({ symbol, price: `${100 + i}.00`, change_24h: '0.1', ts: i });

/** A native client on a fake transport, opened, welcomed and subscribed to `prices`. */
async function openClient(options: { staleAfterMs?: number; subscribeStaleAfterMs?: number } = {}) {
  const fake = fakeTransport();
  const client: Client<DashboardEvents> = createClient({
    url: 'ws://feed.test/ws',
    transport: fake.transport,
    reconnect: { initialDelayMs: 100, minDelayMs: 100, jitter: 'none' },
    heartbeat: false,
    staleAfterMs: options.staleAfterMs,
  });
  const log: string[] = [];
  client.on('stale', (s) => log.push(`stale ${s.channel} ${s.reason}`));
  client.on('fresh', (f) => log.push(`fresh ${f.channel}`));
  const sub = client.subscribe(
    'prices',
    {},
    options.subscribeStaleAfterMs === undefined ? {} : { staleAfterMs: options.subscribeStaleAfterMs },
  );
  const socket = await settle(() => fake.latest);
  socket.open();
  const subscribe = socket.frames().find((f) => f.op === 'subscribe')!;
  socket.message({ op: 'ack', id: subscribe.id, channel: 'prices', seq: 0 });
  let seq = 0;
  const publish = (symbol = 'SOL') => {
    seq++;
    socket.message({ op: 'event', channel: 'prices', seq, type: 'price_update', data: tick(symbol, seq) });
  };
  return { client, fake, socket, sub, log, publish };
}

/** Publishes `count` events `everyMs` apart (fake clock). */
async function feed(publish: () => void, count: number, everyMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    publish();
    await vi.advanceTimersByTimeAsync(everyMs);
  }
}

/** The channel is fresh until the floor has passed since the last event (fed 100 ms ago), then stale once. */
async function expectStaleAtFloor(log: string[]): Promise<void> {
  await vi.advanceTimersByTimeAsync(freshnessDefaults.floorMs - 200);
  expect(log).toEqual(['fresh prices']);
  await vi.advanceTimersByTimeAsync(200);
  expect(log).toEqual(['fresh prices', 'stale prices quiet']);
}

describe('staleness is state (#16 part 2, fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('freshness(type, key) knows when each key changed and how old it is; stats() and lastEventAt show ages', async () => {
    const { client, sub, publish } = await openClient();
    expect(client.freshness('price_update', 'SOL')).toEqual({ updatedAt: undefined, ageMs: undefined, stale: true });
    publish('SOL');
    await vi.advanceTimersByTimeAsync(2_000);
    publish('BTC');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.freshness('price_update', 'SOL')).toEqual({
      updatedAt: new Date('2026-12-01T12:00:00Z'),
      ageMs: 3_000,
      stale: false,
    });
    expect(client.freshness('price_update', 'BTC').ageMs).toBe(1_000);
    expect(client.freshness('price_update').ageMs).toBe(1_000); // the latest of any key
    expect(sub.lastEventAt).toEqual(new Date('2026-12-01T12:00:02Z'));
    expect(client.stats().freshness.prices).toEqual({
      ageMs: 1_000,
      stale: false,
      staleAfterMs: freshnessDefaults.unknownCadenceMs,
    });
    await client.close();
  });

  it('derives the threshold from the cadence: 3 × the median interval, at least the floor; stale once, fresh on the next event', async () => {
    const { client, log, publish } = await openClient();
    // A steady 4 s cadence: 3 × 4 s = 12 s (above the 5 s floor).
    for (let i = 0; i < 6; i++) {
      publish();
      await vi.advanceTimersByTimeAsync(4_000);
    }
    expect(client.stats().freshness.prices!.staleAfterMs).toBe(12_000);
    expect(log).toEqual(['fresh prices']);
    // The last event was 4 s ago: stale 12 s after it, not before.
    await vi.advanceTimersByTimeAsync(7_999);
    expect(log).toEqual(['fresh prices']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['fresh prices', 'stale prices quiet']);
    expect(client.freshness('price_update', 'SOL').stale).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(log).toHaveLength(2); // reported once
    publish();
    expect(log).toEqual(['fresh prices', 'stale prices quiet', 'fresh prices']);
    expect(client.freshness('price_update', 'SOL').stale).toBe(false);
    await client.close();
  });

  it('a fast feed is held to the floor (no flapping at 10 msg/s)', async () => {
    const { client, log, publish } = await openClient();
    await feed(publish, 30, 100);
    expect(client.stats().freshness.prices!.staleAfterMs).toBe(freshnessDefaults.floorMs);
    await expectStaleAtFloor(log);
    await client.close();
  });

  it('a slow feed that turns fast gets the fast threshold: stale 5 s after it stops, not 3 × the old cadence', async () => {
    const { client, log, publish } = await openClient();
    // 10 s apart, more than the 20 intervals the cadence remembers: a 30 s threshold.
    await feed(publish, 23, 10_000);
    expect(client.stats().freshness.prices!.staleAfterMs).toBe(30_000);
    // Then 10 msg/s for 3 s (the per-event path refreshes its cached cadence at most once a second).
    await feed(publish, 30, 100);
    expect(client.stats().freshness.prices!.staleAfterMs).toBe(freshnessDefaults.floorMs);
    await expectStaleAtFloor(log);
    await client.close();
  });

  it('staleAfterMs per subscription wins over the client option, which wins over the cadence', async () => {
    const a = await openClient({ staleAfterMs: 2_000 });
    a.publish();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(a.log).toEqual(['fresh prices', 'stale prices quiet']);
    await a.client.close();
    const b = await openClient({ staleAfterMs: 2_000, subscribeStaleAfterMs: 500 });
    b.publish();
    await vi.advanceTimersByTimeAsync(500);
    expect(b.log).toEqual(['fresh prices', 'stale prices quiet']);
    await b.client.close();
  });

  it('everything is stale from the moment the connection leaves open, until data flows again', async () => {
    const { client, fake, log, publish, socket } = await openClient();
    publish();
    expect(client.freshness('price_update', 'SOL').stale).toBe(false);
    socket.close(1006);
    expect(client.state).toBe('reconnecting');
    expect(log).toEqual(['fresh prices', 'stale prices disconnected']);
    expect(client.freshness('price_update', 'SOL').stale).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    const next = await settle(() => (fake.sockets.length === 2 ? fake.latest : undefined));
    next.open();
    // Open again, but nothing has arrived yet: still stale.
    expect(client.state).toBe('open');
    expect(client.freshness('price_update', 'SOL').stale).toBe(true);
    const subscribe = next.frames().find((f) => f.op === 'subscribe')!;
    next.message({ op: 'ack', id: subscribe.id, channel: 'prices', seq: 1, recovered: true });
    next.message({ op: 'event', channel: 'prices', seq: 2, type: 'price_update', data: tick('SOL', 2) });
    expect(log).toEqual(['fresh prices', 'stale prices disconnected', 'fresh prices']);
    expect(client.freshness('price_update', 'SOL').stale).toBe(false);
    await client.close();
  });
});
