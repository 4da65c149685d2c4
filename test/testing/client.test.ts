// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  createClient,
  polling,
  dashboardChannels,
  type Client,
  type ConnectionState,
  type DashboardEvents,
  type EventMeta,
} from '../../src/index.js';
import { createMemoryServer, createTestServer, type TestServer } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';

describe('dashwire/testing: the mock server in memory, for app tests in jsdom/happy-dom', () => {
  let server: TestServer | undefined;
  let client: Client<DashboardEvents> | undefined;
  afterEach(async () => {
    await client?.close();
    server?.close();
    client = server = undefined;
  });

  it('drives a client through mock-socket: typed events, a drop, a resumed stream', async () => {
    server = createTestServer({ url: 'ws://dashwire.test', feed: false });
    client = createClient({
      url: 'ws://dashwire.test/ws',
      WebSocket: server.WebSocket,
      reconnect: { initialDelayMs: 10, minDelayMs: 1 },
    });
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s.current));
    const seqs: number[] = [];
    const sub = client.subscribe('prices');
    sub.on('price_update', (_p, m) => seqs.push(m.seq!));
    await sub.ready;
    const tick = (i: number) => ({ symbol: 'SOL', price: `${i}.00`, change_24h: '0.0', ts: i });
    for (let i = 1; i <= 5; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => seqs.length === 5);
    server.faults.dropAll();
    for (let i = 6; i <= 10; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => seqs.length === 10);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('serves the REST fallback through its fetch', async () => {
    server = createTestServer({ url: 'ws://dashwire.test', feed: false });
    server.faults.blockUpgrades({ mode: '403' });
    client = createClient({
      url: 'ws://dashwire.test/ws',
      WebSocket: server.WebSocket,
      reconnect: { initialDelayMs: 5, minDelayMs: 1, maxDelayMs: 10 },
      fallback: polling({
        afterFailures: 2,
        intervalMs: 10,
        fetch: (url, init) => server!.fetch(url, init),
        probe: { initialDelayMs: 60_000 },
      }),
    });
    const ids: string[] = [];
    client.subscribe('alerts').on('alert', (a) => ids.push(a.id));
    await waitFor(() => client!.state === 'polling' && client!.stats().frames > 0);
    server.publish('alerts', 'alert', { id: 'a1', severity: 'critical', message: 'feed lagging', ts: 1 });
    await waitFor(() => ids.length === 1);
    expect(ids).toEqual(['a1']);
  });

  it('createMemoryServer gives a transport for unit tests without sockets', async () => {
    const memory = createMemoryServer({ feed: { rate: 1_000 } });
    const c = createClient({ url: memory.url, transport: memory.transport });
    const seen = new Set<string>();
    for (const [channel, type] of Object.entries(dashboardChannels)) {
      c.subscribe(channel).on(type, (_data: unknown, meta: EventMeta) => seen.add(meta.type));
    }
    await waitFor(() => seen.size === 4, 5_000);
    expect(c.stats().invalid).toBe(0);
    await c.close();
    memory.close();
  });
});
