import { commands } from 'vitest/browser';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createClient, polling, type Client, type ConnectionState, type DashboardEvents } from '../../src/index.js';

async function waitFor<T>(predicate: () => T, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const tick = (i: number) => ({ symbol: 'BTC', price: `${60000 + i}.00`, change_24h: '0.1', ts: i });

describe('dashwire in real Chromium against a real ws server', () => {
  let client: Client<DashboardEvents> | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('uses the browser WebSocket: connects, subscribes, reconnects after a drop, and delivers every event once, in order', async () => {
    expect(typeof WebSocket).toBe('function');
    client = createClient({ url: inject('wsUrl'), reconnect: { initialDelayMs: 50, minDelayMs: 10 } });
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s.current));
    const seqs: number[] = [];
    const prices: string[] = [];
    const sub = client.subscribe('prices');
    sub.on('price_update', (p, meta) => {
      seqs.push(meta.seq!);
      prices.push(p.price);
    });
    await sub.ready;
    const base = seqs.length;
    await commands.publishMany(
      'prices',
      'price_update',
      Array.from({ length: 50 }, (_, i) => tick(i)),
    );
    await waitFor(() => seqs.length === base + 50);
    await commands.dropAll();
    await waitFor(() => states.includes('reconnecting'));
    await commands.publishMany(
      'prices',
      'price_update',
      Array.from({ length: 50 }, (_, i) => tick(50 + i)),
    );
    await waitFor(() => client!.state === 'open' && seqs.length === base + 100);
    expect(prices.slice(-100)).toEqual(Array.from({ length: 100 }, (_, i) => `${60000 + i}.00`));
    const tail = seqs.slice(-100);
    expect(tail).toEqual(Array.from({ length: 100 }, (_, i) => tail[0]! + i));
    expect(states.slice(0, 2)).toEqual(['connecting', 'open']);
    expect(states.at(-1)).toBe('open');
    expect(client.stats().transport).toBe('websocket');
  });

  it('close() leaves the page with no open socket', async () => {
    client = createClient({ url: inject('wsUrl') });
    await waitFor(() => client!.state === 'open');
    const before = await commands.clientCount();
    await client.close();
    client = undefined;
    await waitFor(async () => true);
    let after = before;
    for (let i = 0; i < 50 && after >= before; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await commands.clientCount();
    }
    expect(after).toBe(before - 1);
  });

  it('falls back to REST polling (fetch + CORS) when upgrades are blocked, and returns to WebSocket', async () => {
    await commands.blockUpgrades('403');
    try {
      client = createClient({
        url: inject('wsUrl'),
        reconnect: { initialDelayMs: 20, maxDelayMs: 50, minDelayMs: 5 },
        fallback: polling({ afterFailures: 2, intervalMs: 30, probe: { initialDelayMs: 200, maxDelayMs: 300 } }),
      });
      const states: ConnectionState[] = [];
      client.on('state', (s) => states.push(s.current));
      const prices: string[] = [];
      client.subscribe('prices').on('price_update', (p) => prices.push(p.price));
      await waitFor(() => client!.state === 'polling');
      await waitFor(() => client!.stats().frames >= 2);
      await commands.publishMany(
        'prices',
        'price_update',
        Array.from({ length: 30 }, (_, i) => tick(1000 + i)),
      );
      await waitFor(() => prices.length === 30);
      await commands.blockUpgrades(false);
      await waitFor(() => client!.state === 'open');
      await commands.publishMany(
        'prices',
        'price_update',
        Array.from({ length: 10 }, (_, i) => tick(1030 + i)),
      );
      await waitFor(() => prices.length === 40);
      expect(prices).toEqual(Array.from({ length: 40 }, (_, i) => `${61000 + i}.00`));
      expect(states.indexOf('polling')).toBeGreaterThan(0);
      expect(states.at(-1)).toBe('open');
    } finally {
      await commands.blockUpgrades(false);
    }
  });
});
