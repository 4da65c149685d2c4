import { describe, expect, it } from 'vitest';
import { createClient, type ConnectionState } from '../../src/index.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { waitFor } from '../helpers/wait.js';
import { useCleanup } from '../helpers/cleanup.js';

const tick = (i: number) => ({ symbol: 'SOL', price: `${100 + i}.00`, change_24h: '0.1', ts: i });

describe('client ↔ mock server over real WebSockets (127.0.0.1)', () => {
  const track = useCleanup();

  it('connects, subscribes and receives typed events in order', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false }));
    const client = track(createClient({ url: server.url }));
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s.current));
    const prices: string[] = [];
    const sub = client.subscribe('prices');
    sub.on('price_update', (p) => prices.push(p.price));
    await sub.ready;
    for (let i = 0; i < 20; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => prices.length === 20);
    expect(prices).toEqual(Array.from({ length: 20 }, (_, i) => `${100 + i}.00`));
    expect(states).toEqual(['connecting', 'open']);
  });

  it('delivers a 1,000-event stream exactly once and in order across five server restarts', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false, replayBuffer: 2_000 }));
    const client = track(
      createClient({ url: server.url, reconnect: { initialDelayMs: 20, maxDelayMs: 100, minDelayMs: 5 } }),
    );
    const seqs: number[] = [];
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s.current));
    const sub = client.subscribe('prices');
    sub.on('price_update', (_p, meta) => seqs.push(meta.seq!));
    await sub.ready;
    let restarting: Promise<void> | undefined;
    for (let i = 1; i <= 1_000; i++) {
      server.publish('prices', 'price_update', tick(i));
      // Restart at 100, 300, 500, 700, 900; events 101–149 etc. are published while it is down.
      if (i % 200 === 100) restarting = server.restart({ downMs: 30 });
      if (i % 200 === 150) {
        await restarting;
        await waitFor(() => client.state === 'open', 5_000);
      }
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await waitFor(() => seqs.length >= 1_000, 15_000);
    expect(seqs).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(client.stats().reconnects).toBeGreaterThanOrEqual(5);
    expect(states.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(5);
    expect(client.state).toBe('open');
  });

  it('finds a half-open connection within interval + timeout and reconnects', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false, heartbeatMs: 60_000 }));
    const client = track(
      createClient({
        url: server.url,
        heartbeat: { intervalMs: 150, timeoutMs: 150 },
        reconnect: { initialDelayMs: 20, minDelayMs: 5 },
      }),
    );
    const errors: string[] = [];
    client.on('state', (s) => s.error && errors.push(s.error.code));
    await waitFor(() => client.state === 'open');
    const openedAt = Date.now();
    server.faults.silence(true);
    await waitFor(() => client.state === 'reconnecting', 3_000);
    const detectedAfter = Date.now() - openedAt;
    expect(errors).toContain('heartbeat_timeout');
    expect(detectedAfter).toBeLessThan(2_000);
    server.faults.silence(false);
    await waitFor(() => client.state === 'open', 3_000);
  });

  it('ships decimal strings as strings and rejects a schema-invalid frame without losing the next one', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false }));
    const client = track(createClient({ url: server.url }));
    const got: unknown[] = [];
    const invalid: string[] = [];
    client.on('invalid', (m) => invalid.push(m.reason));
    const sub = client.subscribe('trades');
    sub.on('trade', (t) => got.push(t.price));
    await sub.ready;
    server.publish('trades', 'trade', {
      id: 't1',
      symbol: 'AAPL',
      side: 'buy',
      price: '189.10',
      quantity: '10',
      ts: 1,
    });
    server.publish('trades', 'trade', {
      id: 't2',
      symbol: 'AAPL',
      side: 'hold',
      price: '189.20',
      quantity: '10',
      ts: 2,
    });
    server.faults.sendRaw('{"op":"event",');
    server.publish('trades', 'trade', {
      id: 't3',
      symbol: 'AAPL',
      side: 'sell',
      price: '189.30',
      quantity: '5',
      ts: 3,
    });
    await waitFor(() => got.length === 2 && invalid.length === 2);
    expect(got).toEqual(['189.10', '189.30']);
    expect(invalid).toEqual(['schema', 'malformed']);
  });
});
