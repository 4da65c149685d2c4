import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createClient, type ConnectionState, type InvalidMessage } from '../../src/index.js';
import { presets } from '../../src/backends/presets.js';
import { aresSchemas } from '../../src/backends/ares/wire.js';
import seed from '../fixtures/seeds/001-ares.json' with { type: 'json' };
import { flush, presetServer, type Reply } from './harness.js';

const url = 'ws://localhost:8080/ws';
const ts = '2024-01-19T10:46:15.123456789+01:00';
const dataTypes = Object.keys(seed.data) as (keyof typeof seed.data)[];
const frame = (type: string, data: unknown, timestamp = ts) => ({ type, timestamp, data });
const pong: Reply = (f) =>
  (f as { type?: string }).type === 'ping'
    ? { type: 'pong', timestamp: '2024-01-19T10:31:15Z', data: null }
    : undefined;

describe('presets.ares (seed 001)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('seed frames are valid server frames; the ping is a valid client frame', () => {
    expect(aresSchemas.server.connected.safeParse(seed.connected).success).toBe(true);
    for (const type of dataTypes)
      expect(aresSchemas.server[type].safeParse(frame(type, seed.data[type])).success, type).toBe(true);
    expect(aresSchemas.server.pong.safeParse({ type: 'pong', timestamp: ts, data: null }).success).toBe(true);
    expect(aresSchemas.client.ping.safeParse(seed.ping).success).toBe(true);
  });

  it('delivers the `connected` welcome and every event type, typed, as {timestamp, data}', async () => {
    const server = presetServer({ greet: () => seed.connected });
    const client = createClient({ url, transport: server.transport, protocol: presets.ares() });
    const got: Record<string, unknown> = {};
    client.on('connected', (m) => {
      expectTypeOf(m.data.topics).toEqualTypeOf<string[]>();
      got.connected = m;
    });
    for (const type of dataTypes) client.on(type, (m: unknown) => (got[type] = m));
    client.on('signal', (m) => {
      expectTypeOf(m.data.price).toEqualTypeOf<number>();
      expectTypeOf(m.timestamp).toEqualTypeOf<string>();
    });
    await flush();
    for (const type of dataTypes) server.send(frame(type, seed.data[type]));
    await flush();
    expect(got.connected).toEqual({ timestamp: '2024-01-19T10:30:45Z', data: seed.connected.data });
    for (const type of dataTypes) expect(got[type]).toEqual({ timestamp: ts, data: seed.data[type] });
    expect(client.latest('signal', 'RSI_Oversold')?.data.confidence).toBe(0.85);
    expect(client.latest('trade_closed', '123')?.data.pnl).toBe(1.5);
    await client.close();
  });

  it('wrong field types, missing fields and a non-RFC 3339 timestamp are `invalid`', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.ares() });
    const invalid: InvalidMessage[] = [];
    const got: number[] = [];
    client.on('invalid', (m) => invalid.push(m));
    client.on('signal', (m) => got.push(m.data.price));
    await flush();
    server.send(frame('signal', { ...seed.data.signal, price: '42350.50' }));
    server.send(frame('signal', { strategy_name: 'RSI_Oversold', action: 'BUY', price: 1 }));
    server.send(frame('signal', seed.data.signal, '2024-01-19 10:30:45'));
    server.send({ type: 'signal', data: seed.data.signal });
    server.send(frame('signal', seed.data.signal));
    await flush();
    expect(got).toEqual([42350.5]);
    expect(invalid.map((m) => m.issues?.[0]?.path)).toEqual([
      ['data', 'price'],
      ['data', 'confidence'],
      ['timestamp'],
      ['timestamp'],
    ]);
    await client.close();
  });

  it('pings with exactly {"type":"ping"} after 30 s of quiet; a pong keeps the link; no pong drops it', async () => {
    let answer = true;
    const server = presetServer({ reply: (f, s) => (answer ? pong(f, s) : undefined) });
    const client = createClient({ url, transport: server.transport, protocol: presets.ares(), random: () => 0 });
    const seen: ConnectionState[] = [];
    client.on('state', (c) => seen.push(c.current));
    await flush();
    await vi.advanceTimersByTimeAsync(29_999);
    expect(server.received).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(server.received.map((r) => r.frame)).toEqual(['{"type":"ping"}']);
    expect(client.stats().rttMs).toBeDefined();
    answer = false;
    await vi.advanceTimersByTimeAsync(30_000 + 15_000);
    await flush();
    expect(seen).toEqual(['connecting', 'open', 'reconnecting']);
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(client.state).toBe('open');
    expect(server.sockets).toHaveLength(2);
    await client.close();
  });

  it('subscribe/unsubscribe send nothing (the hub has no filtering); channels filter by type and strategy', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.ares() });
    const got: string[] = [];
    const sub = client.subscribe('trades', { strategies: ['Support_Bounce'] });
    sub.on('trade', (m) => got.push(`trade:${m.data.strategy_name}`));
    sub.on('trade_closed', (m) => got.push(`closed:${m.data.trade_id}`));
    await flush();
    server.send(frame('trade', seed.data.trade));
    server.send(frame('trade', { ...seed.data.trade, strategy_name: 'RSI_Oversold' }));
    server.send(frame('trade_closed', seed.data.trade_closed));
    server.send(frame('signal', seed.data.signal));
    await flush();
    sub.unsubscribe();
    await flush();
    expect(got).toEqual(['trade:Support_Bounce', 'closed:123']);
    expect(server.received).toEqual([]);
    await client.close();
  });

  it('reconnects after a drop and gets a fresh welcome', async () => {
    const server = presetServer({ greet: () => seed.connected, reply: pong });
    const client = createClient({ url, transport: server.transport, protocol: presets.ares(), random: () => 0 });
    let welcomes = 0;
    client.on('connected', () => welcomes++);
    await flush();
    server.dropAll();
    await flush();
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(client.state).toBe('open');
    expect(welcomes).toBe(2);
    await client.close();
  });
});
