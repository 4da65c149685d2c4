import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod';
import { createClient, type DashwireError, type InvalidMessage } from '../../src/index.js';
import { presets } from '../../src/backends/presets.js';
import { channelFeedSchemas } from '../../src/backends/channel-feed/wire.js';
import seed from '../fixtures/seeds/002-channel-feed.json' with { type: 'json' };
import { flush, presetServer } from './harness.js';

const url = 'ws://localhost:8000/ws';
const ts = '2024-10-05T10:30:00.123456';
const dashboard = { type: 'dashboard_update', data: seed.dashboard_update_data, timestamp: ts };

describe('presets.channelFeed (seed 002)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2024, 9, 5, 10, 30, 0));
  });
  afterEach(() => vi.useRealTimers());

  it('delivers dashboard_update typed (preformatted money strings stay strings) and routes by channel', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.channelFeed() });
    const got: unknown[] = [];
    const sub = client.subscribe('dashboard');
    sub.on('dashboard_update', (m) => {
      expectTypeOf(m.data.total_value).toEqualTypeOf<string>();
      expectTypeOf(m.data.open_positions).toEqualTypeOf<number>();
      got.push(m);
    });
    const trades: unknown[] = [];
    client.subscribe('trades').on('trades_update', (m) => trades.push(m.data));
    await flush();
    expect(channelFeedSchemas.server.dashboard_update.safeParse(dashboard).success).toBe(true);
    server.send(dashboard);
    server.send({ type: 'trades_update', data: [{ id: 't1' }], timestamp: '2024-10-05T10:30:01Z' });
    await flush();
    expect(got).toEqual([{ data: seed.dashboard_update_data, timestamp: ts }]);
    expect(trades).toEqual([[{ id: 't1' }]]);
    await client.close();
  });

  it('subscribe/unsubscribe frames use the seed client send() envelope, one per channel, and re-sent after a reconnect', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.channelFeed(), random: () => 0 });
    const subs = seed.channels.map((channel) => client.subscribe(channel));
    await flush();
    const stamp = new Date().toISOString();
    expect(server.frames()).toEqual(
      seed.channels.map((channel) => ({ type: 'subscribe', data: { channel }, timestamp: stamp })),
    );
    for (const f of server.frames()) expect(channelFeedSchemas.client.subscribe.safeParse(f).success).toBe(true);
    server.dropAll();
    await flush();
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(
      server
        .frames()
        .slice(5)
        .map((f) => (f as { data: { channel: string } }).data.channel),
    ).toEqual(seed.channels);
    server.received.length = 0;
    subs[1]!.unsubscribe();
    await flush();
    expect(server.frames()).toEqual([
      { type: 'unsubscribe', data: { channel: 'trades' }, timestamp: new Date().toISOString() },
    ]);
    expect(channelFeedSchemas.client.unsubscribe.safeParse(server.frames()[0]).success).toBe(true);
    await client.close();
  });

  it('subscribeFrame option replaces the frame', async () => {
    const server = presetServer();
    const protocol = presets.channelFeed({ subscribeFrame: (action, channel) => ({ action, channel }) });
    const client = createClient({ url, transport: server.transport, protocol });
    client.subscribe('alerts');
    await flush();
    expect(server.frames()).toEqual([{ action: 'subscribe', channel: 'alerts' }]);
    await client.close();
  });

  it('error frames become `error`; bad payloads are `invalid`', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.channelFeed() });
    const errors: DashwireError[] = [];
    const invalid: InvalidMessage[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('invalid', (m) => invalid.push(m));
    await flush();
    server.send({ type: 'error', data: { message: 'unknown channel: foo' }, timestamp: ts });
    server.send({ ...dashboard, data: { ...seed.dashboard_update_data, open_positions: '5' } });
    const { win_rate: _w, ...missing } = seed.dashboard_update_data;
    server.send({ ...dashboard, data: missing });
    await flush();
    expect(errors.map((e) => e.message)).toEqual(['unknown channel: foo']);
    expect(invalid.map((m) => m.issues?.[0]?.path)).toEqual([
      ['data', 'open_positions'],
      ['data', 'win_rate'],
    ]);
    await client.close();
  });

  it('custom events type their channels', async () => {
    const events = {
      trades_update: z.object({ data: z.object({ symbol: z.string(), qty: z.string() }) }),
    };
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.channelFeed({ events }) });
    const got: string[] = [];
    client.subscribe('trades').on('trades_update', (m) => got.push(m.data.qty));
    await flush();
    server.send({ type: 'trades_update', data: { symbol: 'AAPL', qty: '10' } });
    await flush();
    expect(got).toEqual(['10']);
    await client.close();
  });

  it('idle watchdog: no ping frame; 90 s of silence replaces the link', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.channelFeed(), random: () => 0 });
    client.subscribe('dashboard');
    await flush();
    await vi.advanceTimersByTimeAsync(89_999);
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(300);
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(server.frames().every((f) => (f as { type: string }).type === 'subscribe')).toBe(true);
    await client.close();
  });
});
