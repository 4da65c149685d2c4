import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  createClient,
  polling,
  type ConnectionState,
  type DashwireError,
  type FetchLike,
  type InvalidMessage,
} from '../../src/index.js';
import { presets, sentioChannelOf, sentioDefaults } from '../../src/backends/presets.js';
import { sentioSchemas } from '../../src/backends/sentio/wire.js';
import seed from '../fixtures/seeds/004-sentio.json' with { type: 'json' };
import { flush, presetServer, type Reply } from './harness.js';

const base = 'ws://localhost:8000';
const ts = '2024-10-05T10:30:00';
const frame = (type: string, data: unknown) => ({ type, data, timestamp: ts });
const pong: Reply = (f) => ((f as { action?: string }).action === 'ping' ? { type: 'pong', timestamp: ts } : undefined);

describe('presets.sentio (seed 004)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('seed frames are valid in both directions', () => {
    expect(sentioSchemas.client.subscribe.safeParse(seed.subscribe).success).toBe(true);
    expect(sentioSchemas.client.unsubscribe.safeParse(seed.unsubscribe).success).toBe(true);
    expect(sentioSchemas.client.ping.safeParse(seed.ping).success).toBe(true);
    expect(sentioSchemas.server.trade_signals.safeParse(seed.trade_signals).success).toBe(true);
    for (const [type, data] of Object.entries(seed.data)) {
      const schema = type.startsWith('admin_')
        ? sentioSchemas.server.admin_update
        : sentioSchemas.server[type as 'earnings' | 'notification'];
      expect(schema.safeParse(frame(type, data)).success, type).toBe(true);
    }
    expect(sentioSchemas.server.pong.safeParse({ type: 'pong', timestamp: ts }).success).toBe(true);
    expect(
      sentioSchemas.server.error.safeParse({ type: 'error', message: 'Invalid user', timestamp: ts }).success,
    ).toBe(true);
  });

  it('default paths per channel, and the channel of each message type', () => {
    expect(sentioDefaults.endpoints).toEqual({
      'trade-signals': '/ws/trade-signals',
      earnings: '/ws/earnings',
      notifications: '/ws/notifications',
      admin: '/ws/admin',
      'market-data': '/ws/market-data',
    });
    expect(sentioDefaults.pollPaths).toEqual({
      'trade-signals': '/api/trade-signals',
      earnings: '/api/earnings',
      notifications: '/api/notifications',
      admin: '/api/admin/dashboard',
      'market-data': '/api/market-data',
    });
    const types = [
      'trade_signals',
      'earnings',
      'notification',
      'admin_users',
      'admin_billing',
      'market_data',
      'constructor',
      'toString',
    ];
    expect(types.map(sentioChannelOf)).toEqual([
      'trade-signals',
      'earnings',
      'notifications',
      'admin',
      'admin',
      'market-data',
      undefined,
      undefined,
    ]);
  });

  it('one socket per endpoint under one state; the subscribe frame is exactly the seed one', async () => {
    const server = presetServer({ reply: pong });
    const client = createClient({ url: base, transport: server.transport, protocol: presets.sentio() });
    const seen: ConnectionState[] = [];
    client.on('state', (c) => seen.push(c.current));
    const { action: _a, ...params } = seed.subscribe;
    const signals = client.subscribe('trade-signals', params);
    client.subscribe('earnings', { user_id: 'user_001' });
    client.subscribe('notifications', { user_id: 'user_001' });
    client.subscribe('admin', { admin_token: 'adm' });
    client.subscribe('market-data', { symbols: ['AAPL'] });
    await flush();
    expect(server.sockets.map((s) => s.path)).toEqual([
      '/ws/trade-signals',
      '/ws/earnings',
      '/ws/notifications',
      '/ws/admin',
      '/ws/market-data',
    ]);
    expect(seen[0]).toBe('connecting');
    expect(seen.at(-1)).toBe('open');
    expect(server.received.find((r) => r.path === '/ws/trade-signals')?.frame).toBe(JSON.stringify(seed.subscribe));
    expect(server.frames('/ws/earnings')).toEqual([{ action: 'subscribe', user_id: 'user_001' }]);
    expect(server.frames('/ws/admin')).toEqual([{ action: 'subscribe', admin_token: 'adm' }]);
    await expect(signals.ready).resolves.toBeUndefined();
    await client.close();
  });

  it('walks connecting → open without a spurious reconnecting while endpoints open', async () => {
    const server = presetServer();
    const client = createClient({ url: base, transport: server.transport, protocol: presets.sentio() });
    const seen: ConnectionState[] = [];
    client.on('state', (c) => seen.push(c.current));
    client.subscribe('trade-signals', { symbols: ['AAPL'] });
    client.subscribe('earnings', { user_id: 'u1' });
    await flush();
    await client.close();
    expect(seen).toEqual(['connecting', 'open', 'closed']);
  });

  it('delivers every message type typed, routed to its endpoint channel, filtered by symbols', async () => {
    const server = presetServer();
    const client = createClient({
      url: `${base}/ws/trade-signals`,
      transport: server.transport,
      protocol: presets.sentio(),
    });
    const got: unknown[] = [];
    const sig = client.subscribe('trade-signals', { symbols: ['AAPL'] });
    sig.on('trade_signals', (m) => {
      expectTypeOf(m.data[0]!.confidence).toEqualTypeOf<number>();
      got.push(['signals', m.data.map((s) => s.symbol)]);
    });
    client.subscribe('earnings', { user_id: 'u1' }).on('earnings', (m) => got.push(['earnings', m.data.daily_pnl]));
    client
      .subscribe('notifications', { user_id: 'u1' })
      .on('notification', (m) => got.push(['notification', m.data.title]));
    client.subscribe('admin').on('admin_update', (m) => got.push(['admin', m.kind, m.data.total_users]));
    client.subscribe('market-data').on('market_data', (m) => {
      expectTypeOf(m).toEqualTypeOf<unknown>();
      got.push(['market', m]);
    });
    await flush();
    expect(server.sockets.map((s) => s.path)[0]).toBe('/ws/trade-signals');
    server.send(seed.trade_signals, '/ws/trade-signals');
    server.send(
      frame('trade_signals', [{ symbol: 'MSFT', signal: 'sell', confidence: 0.6, timestamp: ts }]),
      '/ws/trade-signals',
    );
    server.send(frame('earnings', seed.data.earnings), '/ws/earnings');
    server.send(frame('notification', seed.data.notification), '/ws/notifications');
    server.send(frame('admin_users', seed.data.admin_users), '/ws/admin');
    server.send(frame('market_data', { symbol: 'AAPL', price: 190.12, volume: 1000 }), '/ws/market-data');
    await flush();
    expect(got).toEqual([
      ['signals', ['AAPL']],
      ['earnings', 250],
      ['notification', 'Trade Executed'],
      ['admin', 'users', 150],
      ['market', { data: { symbol: 'AAPL', price: 190.12, volume: 1000 }, timestamp: ts }],
    ]);
    expect(client.latest('admin_update', 'users')).toMatchObject({ kind: 'users', data: seed.data.admin_users });
    await client.close();
  });

  it('unsubscribe sends {"action":"unsubscribe","symbols":[…]}; an endpoint left without channels is closed', async () => {
    const server = presetServer();
    const client = createClient({ url: base, transport: server.transport, protocol: presets.sentio() });
    const sub = client.subscribe('trade-signals', { symbols: ['AAPL'] });
    client.subscribe('trade-signals', { symbols: ['MSFT'] });
    const earnings = client.subscribe('earnings', { user_id: 'u1' });
    await flush();
    sub.unsubscribe();
    await flush();
    // The seed's unsubscribe frame, then the sibling's subscribe again: the server keeps one symbol set
    // per feed connection, so the unsubscribe may have removed symbols the sibling also wants.
    expect(server.frames('/ws/trade-signals').slice(-2)).toEqual([
      seed.unsubscribe,
      { action: 'subscribe', symbols: ['MSFT'] },
    ]);
    earnings.unsubscribe();
    await flush();
    expect(server.open.map((s) => s.path)).toEqual(['/ws/trade-signals']);
    expect(client.state).toBe('open');
    await client.close();
  });

  it('pings {"action":"ping"} every 30 s of quiet on each socket; pong keeps it; a silent socket is replaced alone', async () => {
    let answer = true;
    const server = presetServer({ reply: (f, s) => (answer || s.path === '/ws/earnings' ? pong(f, s) : undefined) });
    const client = createClient({
      url: base,
      transport: server.transport,
      protocol: presets.sentio(),
      random: () => 0,
    });
    client.subscribe('trade-signals', { symbols: ['AAPL'] });
    client.subscribe('earnings', { user_id: 'u1' });
    await flush();
    await vi.advanceTimersByTimeAsync(30_000);
    await flush();
    expect(server.frames('/ws/trade-signals').slice(1)).toEqual([seed.ping]);
    expect(server.frames('/ws/earnings').slice(1)).toEqual([seed.ping]);
    answer = false;
    await vi.advanceTimersByTimeAsync(40_000);
    await flush();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(client.state).toBe('open');
    expect(server.sockets.map((s) => s.path)).toEqual(['/ws/trade-signals', '/ws/earnings', '/ws/trade-signals']);
    // Resubscribed on the new socket with the same params.
    expect(
      server.frames('/ws/trade-signals').filter((f) => (f as { action: string }).action === 'subscribe'),
    ).toHaveLength(2);
    await client.close();
  });

  it('reconnect after dropping every socket resubscribes each endpoint', async () => {
    const server = presetServer({ reply: pong });
    const client = createClient({
      url: base,
      transport: server.transport,
      protocol: presets.sentio(),
      random: () => 0,
    });
    client.subscribe('trade-signals', { symbols: ['AAPL'], user_id: 'user_001' });
    client.subscribe('notifications', { user_id: 'user_001' });
    await flush();
    server.dropAll();
    await flush();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(client.state).toBe('open');
    expect(server.frames('/ws/notifications')).toEqual([
      { action: 'subscribe', user_id: 'user_001' },
      { action: 'subscribe', user_id: 'user_001' },
    ]);
    expect(server.frames('/ws/trade-signals')).toHaveLength(2);
    await client.close();
  });

  it('error frames become `error`; a bad payload is `invalid`', async () => {
    const server = presetServer();
    const client = createClient({ url: base, transport: server.transport, protocol: presets.sentio() });
    const errors: DashwireError[] = [];
    const invalid: InvalidMessage[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('invalid', (m) => invalid.push(m));
    client.subscribe('earnings', { user_id: 'u1' });
    await flush();
    server.send({ type: 'error', message: 'Invalid user_id', timestamp: ts });
    server.send(frame('earnings', { ...seed.data.earnings, daily_pnl: '250.00' }));
    server.send({ type: 'earnings', data: seed.data.earnings, timestamp: '2024-10-05 10:30:00' });
    await flush();
    expect(errors.map((e) => [e.code, e.message])).toEqual([['server_error', 'Invalid user_id']]);
    expect(invalid.map((m) => m.issues?.[0]?.path)).toEqual([['data', 'daily_pnl'], ['timestamp']]);
    await client.close();
  });

  it('falls back to REST polling every 30 s and de-duplicates unchanged snapshots', async () => {
    const calls: string[] = [];
    let notifications = [frame('notification', { ...seed.data.notification, id: 1 })];
    const fetch: FetchLike = async (u) => {
      calls.push(u);
      const path = new URL(u).pathname;
      const body =
        path === '/api/trade-signals'
          ? { ...seed.trade_signals, timestamp: new Date().toISOString().slice(0, 19) }
          : notifications;
      return { status: 200, headers: { get: () => null }, text: async () => JSON.stringify(body) };
    };
    const server = presetServer();
    const client = createClient({
      url: base,
      transport: server.transport,
      protocol: presets.sentio(),
      fallback: polling({ fetch, afterFailures: 1 }),
      random: () => 0,
    });
    const got: string[] = [];
    client
      .subscribe('trade-signals', { symbols: ['AAPL', 'GOOGL'] })
      .on('trade_signals', (m) => got.push(`signals:${m.data.length}`));
    client.subscribe('notifications', { user_id: 'user_001' }).on('notification', (m) => got.push(`n:${m.data.id}`));
    client.usePolling();
    await flush();
    await vi.advanceTimersByTimeAsync(0);
    await flush();
    expect(client.state).toBe('polling');
    expect(calls).toEqual([
      'http://localhost:8000/api/trade-signals?symbols=AAPL%2CGOOGL',
      'http://localhost:8000/api/notifications?user_id=user_001',
    ]);
    notifications = [...notifications, frame('notification', { ...seed.data.notification, id: 2, title: 'Second' })];
    await vi.advanceTimersByTimeAsync(30_000);
    await flush();
    expect(calls).toHaveLength(4);
    expect(got).toEqual(['signals:1', 'n:1', 'n:2']);
    await client.close();
  });
});
