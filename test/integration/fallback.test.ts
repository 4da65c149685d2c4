import { describe, expect, it } from 'vitest';
import { createClient, polling, type ConnectionState } from '../../src/index.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { waitFor } from '../helpers/wait.js';
import { useCleanup } from '../helpers/cleanup.js';

const tick = (i: number) => ({ symbol: 'ETH', price: `${2000 + i}.00`, change_24h: '0.1', ts: i });

describe('REST-polling fallback and the way back (real server on 127.0.0.1)', () => {
  const track = useCleanup();

  for (const mode of ['403', 'accept-then-close'] as const) {
    it(`upgrades blocked (${mode}) → polls every event exactly once, in order → back on WebSocket`, async () => {
      const server = track(await createMockServer({ protocol: 'native', feed: false, replayBuffer: 5_000 }));
      server.faults.blockUpgrades({ mode });
      const client = track(
        createClient({
          url: server.url,
          reconnect: { initialDelayMs: 20, maxDelayMs: 50, minDelayMs: 5 },
          fallback: polling({ afterFailures: 2, intervalMs: 25, probe: { initialDelayMs: 150, maxDelayMs: 300 } }),
        }),
      );
      const states: ConnectionState[] = [];
      client.on('state', (s) => states.push(s.current));
      const seqs: number[] = [];
      client.subscribe('prices').on('price_update', (_p, meta) => seqs.push(meta.seq!));
      await waitFor(() => client.state === 'polling', 5_000);
      expect(client.stats().transport).toBe('polling');
      for (let i = 1; i <= 500; i++) {
        server.publish('prices', 'price_update', tick(i));
        if (i % 25 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      await waitFor(() => seqs.length >= 500, 10_000);
      // Unblock: the background probe finds WebSocket healthy and the client switches back.
      server.faults.blockUpgrades(false);
      await waitFor(() => client.state === 'open', 5_000);
      for (let i = 501; i <= 600; i++) server.publish('prices', 'price_update', tick(i));
      await waitFor(() => seqs.length >= 600, 5_000);
      expect(seqs).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
      expect(client.stats().duplicates).toBeGreaterThanOrEqual(0);
      expect(client.stats().transport).toBe('websocket');
      // connecting → reconnecting (failures) → polling → open
      expect(states[0]).toBe('connecting');
      expect(states).toContain('reconnecting');
      expect(states.indexOf('polling')).toBeGreaterThan(states.indexOf('reconnecting'));
      expect(states.at(-1)).toBe('open');
      expect(states.lastIndexOf('polling')).toBeLessThan(states.lastIndexOf('open'));
    });
  }

  it('polls at once when the runtime has no WebSocket, and usePolling() switches on request', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false }));
    const NoWebSocket = undefined;
    const client = track(
      createClient({
        url: server.url,
        fallback: polling({ intervalMs: 25, probe: { initialDelayMs: 60_000 } }),
        transport: undefined,
        WebSocket: NoWebSocket,
      }),
    );
    await waitFor(() => client.state === 'open');
    client.usePolling();
    await waitFor(() => client.state === 'polling');
    const got: string[] = [];
    client.subscribe('alerts').on('alert', (a) => got.push(a.id));
    await waitFor(() => server.lastSeq('alerts') === 0 && client.stats().frames > 1);
    server.publish('alerts', 'alert', { id: 'a1', severity: 'warning', message: 'BTC below 60k', ts: 1 });
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['a1']);
  });
});

describe('polling without a cursor starts from now, like a WebSocket subscribe', () => {
  it('does not replay history to a fresh subscription, and continues from the position it got', async () => {
    const server = await createMockServer({ protocol: 'native', feed: false });
    for (let i = 1; i <= 10; i++) server.publish('prices', 'price_update', tick(i));
    const client = createClient({
      url: server.url,
      WebSocket: undefined,
      fallback: polling({ intervalMs: 20 }),
      transport: undefined,
    });
    client.usePolling();
    const seqs: number[] = [];
    client.subscribe('prices').on('price_update', (_p, m) => seqs.push(m.seq!));
    await waitFor(() => client.state === 'polling' && client.stats().frames >= 2);
    for (let i = 11; i <= 13; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => seqs.length === 3);
    expect(seqs).toEqual([11, 12, 13]);
    await client.close();
    await server.close();
  });
});

describe('native polling makes one request per round for all subscribed channels', () => {
  it('three channels, one GET each interval, every event once and in order', async () => {
    const server = await createMockServer({ protocol: 'native', feed: false });
    const urls: string[] = [];
    const client = createClient({
      url: server.url,
      WebSocket: undefined,
      transport: undefined,
      fallback: polling({
        intervalMs: 20,
        probe: { initialDelayMs: 600_000 },
        fetch: (url, init) => {
          urls.push(url);
          return fetch(url, init);
        },
      }),
    });
    client.usePolling();
    const got: string[] = [];
    client.subscribe('prices').on('price_update', (p) => got.push(`p${p.ts}`));
    client.subscribe('trades').on('trade', (t) => got.push(`t${t.ts}`));
    client.subscribe('alerts').on('alert', (a) => got.push(`a${a.ts}`));
    await waitFor(() => client.state === 'polling' && urls.some((u) => u.includes('alerts') && u.includes('trades')));
    // Every channel has its cursor (polls with nothing new are 304s and no longer count as frames).
    await waitFor(() =>
      urls.some((u) => ['prices:0', 'trades:0', 'alerts:0'].every((c) => decodeURIComponent(u).includes(c))),
    );
    for (let i = 1; i <= 3; i++) {
      server.publish('prices', 'price_update', { symbol: 'SOL', price: `${i}.00`, change_24h: '0.0', ts: i });
      server.publish('trades', 'trade', {
        id: `t${i}`,
        symbol: 'SOL',
        side: 'buy',
        price: `${i}.00`,
        quantity: '1',
        ts: i,
      });
      server.publish('alerts', 'alert', { id: `a${i}`, severity: 'info', message: 'm', ts: i });
    }
    await waitFor(() => got.length === 9);
    const prices = got.filter((g) => g.startsWith('p'));
    expect(prices).toEqual(['p1', 'p2', 'p3']);
    expect(got.filter((g) => g.startsWith('t'))).toEqual(['t1', 't2', 't3']);
    expect(got.filter((g) => g.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    // Once all three are subscribed, every request carries all three channels.
    const hasAll = (u: string) => ['prices', 'trades', 'alerts'].every((c) => decodeURIComponent(u).includes(c));
    await waitFor(() => urls.length - urls.findIndex(hasAll) > 2);
    const full = urls.filter(hasAll);
    const last = urls.slice(urls.indexOf(full[0]!));
    expect(last.length).toBeGreaterThan(2);
    expect(last.every((u) => full.includes(u))).toBe(true);
    await client.close();
    await server.close();
  });
});
