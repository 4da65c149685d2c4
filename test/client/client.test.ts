import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  DashwireError,
  type ConnectionState,
  type InvalidMessage,
  type StateChange,
} from '../../src/index.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

const url = 'ws://feed.test/ws';

function states(client: { on(e: 'state', h: (c: StateChange) => void): () => void }) {
  const seen: ConnectionState[] = [];
  client.on('state', (c) => seen.push(c.current));
  return seen;
}

describe('client over the native protocol', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('delivers typed events in order and walks idle → connecting → open', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const seen = states(client);
    const got: string[] = [];
    client.on('price_update', (tick, meta) => got.push(`${meta.channel}:${meta.seq}:${tick.symbol}=${tick.price}`));
    const sub = client.subscribe('prices');
    await flush();
    expect(seen).toEqual(['connecting', 'open']);
    expect(sub.state).toBe('subscribed');
    await expect(sub.ready).resolves.toBeUndefined();
    for (let i = 1; i <= 5; i++) server.event('prices', i, 'price_update', price('SOL', `100.${i}`));
    await flush();
    expect(got).toEqual([
      'prices:1:SOL=100.1',
      'prices:2:SOL=100.2',
      'prices:3:SOL=100.3',
      'prices:4:SOL=100.4',
      'prices:5:SOL=100.5',
    ]);
    expect(client.latest('price_update', 'SOL')?.price).toBe('100.5');
    expect(client.stats().received).toBe(5);
    await client.close();
    expect(seen).toEqual(['connecting', 'open', 'closed']);
  });

  it('reports malformed, oversize, unknown and schema-invalid frames while valid ones keep flowing', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport, maxMessageBytes: 2_000 });
    const invalid: InvalidMessage[] = [];
    const unknown: string[] = [];
    const prices: string[] = [];
    client.on('invalid', (m) => invalid.push(m));
    client.on('unknown', (m) => unknown.push(m.type));
    client.on('price_update', (t) => prices.push(t.price));
    client.subscribe('prices');
    await flush();
    server.event('prices', 1, 'price_update', price('BTC', '1.0'));
    server.send('{not json');
    server.event('prices', 2, 'price_update', price('BTC', '2.0'));
    server.send({
      op: 'event',
      channel: 'prices',
      seq: 3,
      type: 'price_update',
      data: { symbol: 'BTC', price: 3, change_24h: '0', ts: 1 },
    });
    server.event('prices', 4, 'mystery', { a: 1 });
    server.send(
      JSON.stringify({
        op: 'event',
        channel: 'prices',
        seq: 5,
        type: 'price_update',
        data: { pad: 'x'.repeat(3_000) },
      }),
    );
    server.send({ op: 'teleport' });
    server.event('prices', 6, 'price_update', price('BTC', '6.0'));
    await flush();
    expect(prices).toEqual(['1.0', '2.0', '6.0']);
    expect(invalid.map((m) => m.reason)).toEqual(['malformed', 'schema', 'oversize', 'malformed']);
    expect(invalid[1]).toMatchObject({
      type: 'price_update',
      channel: 'prices',
      detail: expect.stringContaining('price'),
    });
    expect(invalid[1]!.issues?.[0]?.path).toEqual(['price']);
    expect(unknown).toEqual(['mystery']);
    expect(client.stats()).toMatchObject({ received: 3, invalid: 4, unknown: 1 });
    await client.close();
  });

  it('a throwing handler is reported on `error` and the other handlers still run', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const errors: DashwireError[] = [];
    const after: string[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('price_update', () => {
      throw new Error('boom');
    });
    client.on('price_update', (t) => after.push(t.symbol));
    const sub = client.subscribe('prices');
    sub.on('price_update', () => {
      throw new Error('sub boom');
    });
    sub.on('price_update', (t) => after.push(`sub:${t.symbol}`));
    await flush();
    server.event('prices', 1, 'price_update', price('ETH', '1'));
    server.event('prices', 2, 'price_update', price('SOL', '1'));
    await flush();
    expect(after).toEqual(['ETH', 'sub:ETH', 'SOL', 'sub:SOL']);
    expect(errors.map((e) => e.code)).toEqual(['handler_threw', 'handler_threw', 'handler_threw', 'handler_threw']);
    expect(client.stats().handlerErrors).toBe(4);
    await client.close();
  });

  it('reconnects with backoff after a drop, resubscribes with `since`, and drops replayed duplicates', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport, random: () => 1 });
    const seen = states(client);
    const got: number[] = [];
    client.subscribe('prices').on('price_update', (_t, meta) => got.push(meta.seq!));
    await flush();
    server.event('prices', 1, 'price_update', price('A', '1'));
    server.event('prices', 2, 'price_update', price('A', '2'));
    await flush();
    server.current!.terminate();
    await flush();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(499);
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(server.ops('subscribe').at(-1)).toMatchObject({ channel: 'prices', since: 2 });
    // The server replays from `since` (one overlap) and continues.
    server.event('prices', 2, 'price_update', price('A', '2'));
    server.event('prices', 3, 'price_update', price('A', '3'));
    await flush();
    expect(got).toEqual([1, 2, 3]);
    expect(client.stats()).toMatchObject({ duplicates: 1, reconnects: 1 });
    expect(seen).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    await client.close();
  });

  it('resets the attempt counter only after a healthy connection (first frame + 5 s up)', async () => {
    const server = scriptedServer({ welcome: false, answer: false });
    const client = createClient({ url, transport: server.transport, random: () => 1, heartbeat: false });
    const opens = (): number => server.sockets.length;
    await flush();
    // Opens and dies at once, four times: delays must keep growing (500, 1000, 2000, 4000).
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = opens();
      server.current!.terminate();
      await flush();
      let waited = 0;
      while (opens() === before) {
        await vi.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000]);
    // Now a healthy connection: a frame, then 5 s up. The next drop starts from 500 ms again.
    server.send({ op: 'welcome' });
    await vi.advanceTimersByTimeAsync(5_000);
    const before = opens();
    server.current!.terminate();
    await flush();
    await vi.advanceTimersByTimeAsync(500);
    expect(opens()).toBe(before + 1);
    await client.close();
  });

  it('a fatal close code stops retrying with an error state', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const changes: StateChange[] = [];
    client.on('state', (c) => changes.push(c));
    await flush();
    server.current!.close(4003, 'forbidden');
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(client.state).toBe('closed');
    expect(client.error?.code).toBe('fatal_close');
    expect(changes.at(-1)).toMatchObject({ previous: 'open', current: 'closed', error: { code: 'fatal_close' } });
  });

  it('maxAttempts gives up with `max_attempts`', async () => {
    const server = scriptedServer();
    server.refuse(true);
    const client = createClient({ url, transport: server.transport, reconnect: { maxAttempts: 3 }, random: () => 0 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.state).toBe('closed');
    expect(client.error?.code).toBe('max_attempts');
    expect(client.stats().reconnects).toBe(3);
  });

  it('reference-counts subscriptions: two subscribes, one unsubscribe keep the wire subscription', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const a = client.subscribe('trades', { symbols: ['AAPL'] });
    const b = client.subscribe('trades', { symbols: ['AAPL'] });
    await flush();
    expect(server.ops('subscribe')).toHaveLength(1);
    a.unsubscribe();
    await flush();
    expect(server.ops('unsubscribe')).toHaveLength(0);
    expect(a.state).toBe('unsubscribed');
    expect(b.state).toBe('subscribed');
    b.unsubscribe();
    await flush();
    expect(server.ops('unsubscribe')).toEqual([expect.objectContaining({ channel: 'trades' })]);
    await client.close();
  });

  it('queues subscribes made while disconnected and sends them on open', async () => {
    const server = scriptedServer();
    server.refuse(true);
    const client = createClient({ url, transport: server.transport, random: () => 0 });
    const sub = client.subscribe('alerts');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sub.state).toBe('pending');
    server.refuse(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.ops('subscribe')).toEqual([expect.objectContaining({ channel: 'alerts' })]);
    expect(sub.state).toBe('subscribed');
    await client.close();
  });

  it('a refused subscription goes to `error` and rejects `ready`', async () => {
    const server = scriptedServer({ answer: false });
    const client = createClient({ url, transport: server.transport });
    const dynamicName: string = 'secret'; // a channel the default catalogue does not declare
    const sub = client.subscribe(dynamicName);
    await flush();
    const id = server.ops('subscribe')[0]!.id;
    server.send({ op: 'error', id, code: 'forbidden', message: 'no access' });
    await flush();
    expect(sub.state).toBe('error');
    await expect(sub.ready).rejects.toMatchObject({ code: 'subscribe_failed' });
    await client.close();
  });

  it('emits `gap` with the missing range, and holds live events while `resync` runs', async () => {
    const server = scriptedServer();
    let finish!: () => void;
    const order: string[] = [];
    const client = createClient({
      url,
      transport: server.transport,
      resync: (gap) => {
        order.push(`resync ${gap.fromSeq}-${gap.toSeq}`);
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    client.on('gap', (gap) => order.push(`gap ${gap.channel} ${gap.fromSeq}-${gap.toSeq}`));
    client.subscribe('prices').on('price_update', (_t, m) => order.push(`event ${m.seq}`));
    await flush();
    server.event('prices', 1, 'price_update', price('A', '1'));
    server.event('prices', 5, 'price_update', price('A', '5'));
    server.event('prices', 6, 'price_update', price('A', '6'));
    await flush();
    expect(order).toEqual(['event 1', 'gap prices 2-4', 'resync 2-4']);
    finish();
    await flush();
    expect(order).toEqual(['event 1', 'gap prices 2-4', 'resync 2-4', 'event 5', 'event 6']);
    await client.close();
  });

  it('asks the token provider on every connect, single-flight, and stops after a refused refresh', async () => {
    const server = scriptedServer();
    const requests: string[] = [];
    const client = createClient({
      url,
      transport: server.transport,
      random: () => 0,
      auth: { token: async ({ reason }) => (requests.push(reason), `t${requests.length}`) },
    });
    await flush();
    expect(server.ops('auth')).toEqual([{ op: 'auth', token: 't1' }]);
    server.current!.terminate();
    await vi.advanceTimersByTimeAsync(200);
    expect(server.ops('auth').map((f) => f.token)).toEqual(['t1', 't2']);
    server.current!.close(4001, 'unauthorized');
    await vi.advanceTimersByTimeAsync(10);
    expect(requests).toEqual(['connect', 'connect', 'refresh']);
    server.current!.close(4001, 'unauthorized');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.state).toBe('closed');
    expect(client.error?.code).toBe('auth_failed');
    expect(JSON.stringify(client.stats())).not.toContain('t3');
  });

  it('surfaces a failing token provider and retries with backoff', async () => {
    const server = scriptedServer();
    let fail = true;
    const errors: string[] = [];
    const client = createClient({
      url,
      transport: server.transport,
      random: () => 0,
      auth: { token: () => (fail ? Promise.reject(new Error('idp down')) : 'ok') },
    });
    client.on('state', (c) => c.error && errors.push(c.error.code));
    await flush();
    expect(client.state).toBe('reconnecting');
    expect(errors).toContain('token_failed');
    fail = false;
    await vi.advanceTimersByTimeAsync(200);
    expect(client.state).toBe('open');
    await client.close();
  });

  it('bounds the outgoing queue while disconnected and flushes it in order on open', async () => {
    const server = scriptedServer();
    server.refuse(true);
    const client = createClient({ url, transport: server.transport, maxQueue: 2, random: () => 0 });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    expect(client.send({ op: 'note', n: 1 })).toBe(true);
    expect(client.send({ op: 'note', n: 2 })).toBe(true);
    expect(client.send({ op: 'note', n: 3 })).toBe(false);
    expect(errors).toEqual(['queue_full']);
    expect(client.stats().dropped).toBe(1);
    server.refuse(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(server.ops('note').map((f) => f.n)).toEqual([1, 2]);
    await client.close();
  });

  it('finds a half-open connection with the heartbeat and reconnects', async () => {
    const server = scriptedServer();
    const client = createClient({
      url,
      transport: server.transport,
      heartbeat: { intervalMs: 10_000, timeoutMs: 5_000 },
      random: () => 0,
    });
    const changes: StateChange[] = [];
    client.on('state', (c) => changes.push(c));
    await flush();
    server.setAnswer(false); // alive on TCP, silent
    await vi.advanceTimersByTimeAsync(15_000);
    expect(changes.at(-1)).toMatchObject({ current: 'reconnecting', error: { code: 'heartbeat_timeout' } });
    server.setAnswer(true);
    await vi.advanceTimersByTimeAsync(200);
    expect(client.state).toBe('open');
    expect(server.sockets).toHaveLength(2);
    await client.close();
  });

  it('measures round-trip time from ping/pong', async () => {
    const server = scriptedServer();
    const client = createClient({
      url,
      transport: server.transport,
      heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 },
    });
    await flush();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.stats().rttMs).toBe(0);
    await client.close();
  });

  it('lazy clients connect on first subscribe', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport, lazy: true });
    await flush();
    expect(client.state).toBe('idle');
    expect(server.sockets).toHaveLength(0);
    client.subscribe('prices');
    await flush();
    expect(client.state).toBe('open');
    await client.close();
  });

  it('close() rejects pending readies, stops everything, and leaves no timer', async () => {
    const server = scriptedServer({ answer: false });
    const client = createClient({ url, transport: server.transport });
    const sub = client.subscribe('prices');
    await flush();
    await client.close();
    await expect(sub.ready).rejects.toMatchObject({ code: 'client_closed' });
    expect(client.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    expect(client.send('x')).toBe(false);
    const late: string = 'late';
    expect(client.subscribe(late).state).toBe('unsubscribed');
  });

  it('rejects insecure URLs with requireSecure and reserved names in catalogues', () => {
    expect(() => createClient({ url: 'ws://x.test/ws', requireSecure: true })).toThrow(DashwireError);
    expect(() => createClient({ url: 'wss://x.test/ws', requireSecure: true, lazy: true })).not.toThrow();
  });
});
