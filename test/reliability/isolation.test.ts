import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, DashwireError, isDashwireError, type ConnectionState } from '../../src/index.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

/**
 * Isolation: one bad handler costs nothing to the others — a throwing handler, a slow one, a
 * never-settling async one — and neither dispatch nor the heartbeat stalls. The outgoing queue
 * is bounded, and overflow is a typed error, not growth.
 */

const url = 'ws://feed.test/ws';
const tick = (i: number) => price('SOL', `${i}.00`, i);

describe('isolation (fake timers, scripted server)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('handlers that throw on every event (client, subscription, state, error) cost the others nothing', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const errors: DashwireError[] = [];
    const good: number[] = [];
    const goodSub: number[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('error', () => {
      throw new Error('error handler throws too');
    });
    client.on('state', () => {
      throw new Error('state handler throws');
    });
    client.on('price_update', () => {
      throw new Error('boom');
    });
    client.on('price_update', (_t, m) => good.push(m.seq!));
    const sub = client.subscribe('prices');
    sub.on('price_update', () => {
      throw new TypeError('sub boom');
    });
    sub.on('price_update', (_t, m) => goodSub.push(m.seq!));
    await flush();
    for (let i = 1; i <= 1_000; i++) server.event('prices', i, 'price_update', tick(i));
    await flush();
    const all = Array.from({ length: 1_000 }, (_, i) => i + 1);
    expect(good).toEqual(all);
    expect(goodSub).toEqual(all);
    expect(client.state).toBe('open');
    // Every throw is reported, typed, with the original as `cause`; a throwing error handler does not recurse.
    const threw = errors.filter((e) => e.code === 'handler_threw');
    expect(threw.length).toBeGreaterThanOrEqual(2_000);
    expect(threw.every((e) => isDashwireError(e) && e.cause instanceof Error)).toBe(true);
    expect(client.stats().handlerErrors).toBeGreaterThanOrEqual(2_000);
    await client.close();
  });

  it('a never-settling async handler does not hold back later events or other handlers', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const started: number[] = [];
    const others: number[] = [];
    client.on('price_update', async (_t, m) => {
      started.push(m.seq!);
      await new Promise<never>(() => {});
    });
    client.on('price_update', (_t, m) => others.push(m.seq!));
    client.subscribe('prices');
    await flush();
    for (let i = 1; i <= 5; i++) server.event('prices', i, 'price_update', tick(i));
    await flush();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(others).toEqual([1, 2, 3, 4, 5]);
    await client.close();
  });

  it('an async handler that rejects is reported on `error` like a throw, never as an unhandled rejection', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const errors: DashwireError[] = [];
    const others: number[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('price_update', async () => {
      await Promise.resolve();
      throw new Error('async boom');
    });
    client.on('price_update', (_t, m) => others.push(m.seq!));
    client.subscribe('prices');
    await flush();
    server.event('prices', 1, 'price_update', tick(1));
    await flush();
    expect(others).toEqual([1]);
    expect(errors).toMatchObject([{ code: 'handler_threw', cause: { message: 'async boom' } }]);
    await client.close();
  });

  it('a slow handler (the thread blocked 20 s) neither kills a live connection nor stops the heartbeat', async () => {
    const server = scriptedServer();
    const client = createClient({
      url,
      transport: server.transport,
      heartbeat: { intervalMs: 10_000, timeoutMs: 5_000 },
    });
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s.current));
    const order: string[] = [];
    client.on('price_update', (_t, m) => {
      order.push(`slow ${m.seq}`);
      vi.setSystemTime(Date.now() + 20_000); // what a 20 s synchronous computation looks like to the clock
    });
    client.on('price_update', (_t, m) => order.push(`fast ${m.seq}`));
    client.subscribe('prices');
    await flush();
    server.event('prices', 1, 'price_update', tick(1));
    server.event('prices', 2, 'price_update', tick(2));
    await flush();
    expect(order).toEqual(['slow 1', 'fast 1', 'slow 2', 'fast 2']);
    const pings = server.ops('ping').length;
    await vi.advanceTimersByTimeAsync(35_000);
    expect(server.ops('ping').length).toBeGreaterThan(pings); // the heartbeat still runs
    expect(states).toEqual(['connecting', 'open']); // and found nothing wrong with a live peer
    // It still finds a peer that really went silent.
    server.setAnswer(false);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(states).toContain('reconnecting');
    await client.close();
  });

  it('the outgoing queue is bounded: overflow is refused with a typed `queue_full`, the rest is sent in order', async () => {
    const server = scriptedServer();
    server.refuse(true);
    const client = createClient({ url, transport: server.transport, maxQueue: 5, random: () => 0 });
    const errors: DashwireError[] = [];
    client.on('error', (e) => errors.push(e));
    const accepted = Array.from({ length: 12 }, (_, n) => client.send({ op: 'note', n }));
    expect(accepted).toEqual([...Array<boolean>(5).fill(true), ...Array<boolean>(7).fill(false)]);
    expect(errors.map((e) => e.code)).toEqual(Array<string>(7).fill('queue_full'));
    expect(errors.every((e) => e instanceof DashwireError && e.details.size === 5)).toBe(true);
    expect(client.stats().dropped).toBe(7);
    server.refuse(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.ops('note').map((f) => f.n)).toEqual([0, 1, 2, 3, 4]);
    // Drained: room again.
    expect(client.send({ op: 'note', n: 99 })).toBe(true);
    await flush();
    expect(server.ops('note').map((f) => f.n)).toEqual([0, 1, 2, 3, 4, 99]);
    await client.close();
  });
});
