import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerDialect } from '../../src/server/dialect.js';
import { createDialect, dialectNames, registerDialect } from '../../src/server/registry.js';
import { createFeedEngine } from '../../src/server/engine.js';
import { ReplayBuffer } from '../../src/server/replay-buffer.js';
import { fakeSocket } from './fake-socket.js';

const ops = (frames: readonly { readonly [k: string]: unknown }[]) =>
  frames.map((f) => (f.op === 'event' ? `${String(f.channel)}#${String(f.seq)}` : String(f.op)));

describe('feed engine', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps replay → ack → live order for a subscriber even while frames are delayed', async () => {
    const engine = createFeedEngine();
    for (let i = 0; i < 3; i += 1) engine.publish('prices', 'price_update', { i });
    const c = fakeSocket();
    engine.accept(c.socket);
    engine.faults.delay(200);
    c.receive({ op: 'subscribe', id: 1, channel: 'prices', since: 1 });
    engine.publish('prices', 'price_update', { i: 3 });
    c.receive({ op: 'ping', id: 2 });
    await vi.advanceTimersByTimeAsync(199);
    expect(ops(c.frames())).toEqual(['welcome']);
    await vi.advanceTimersByTimeAsync(1);
    expect(ops(c.frames())).toEqual(['welcome', 'prices#2', 'prices#3', 'ack', 'prices#4', 'pong']);
    engine.close();
  });

  it('delivers an error frame before its close, even when delayed', async () => {
    const engine = createFeedEngine({ auth: (token) => token === 'ok' });
    const c = fakeSocket();
    engine.accept(c.socket);
    engine.faults.delay(50);
    c.receive({ op: 'auth', token: 'nope' });
    expect(c.closed()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(50);
    expect(c.frames()).toEqual([{ op: 'error', code: 'unauthorized', message: 'token refused' }]);
    expect(c.closed()).toEqual({ code: 4001, reason: 'unauthorized' });
    expect(engine.clientCount).toBe(0);
  });

  it('drops, not queues, what would have been sent while silenced', async () => {
    const engine = createFeedEngine();
    const c = fakeSocket();
    engine.accept(c.socket);
    c.receive({ op: 'subscribe', id: 1, channel: 'alerts' });
    engine.faults.delay(100);
    engine.publish('alerts', 'alert', { n: 1 }); // queued, then silenced before it leaves
    engine.faults.silence();
    await vi.advanceTimersByTimeAsync(100);
    engine.publish('alerts', 'alert', { n: 2 });
    c.receive({ op: 'ping', id: 5 });
    engine.faults.silence(false);
    engine.faults.delay(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(ops(c.frames())).toEqual(['welcome', 'ack']);
    expect(engine.lastSeq('alerts')).toBe(2);
    expect(engine.received.map((r) => r.json)).toContainEqual({ op: 'ping', id: 5 });
    engine.close();
  });

  it('bounds the received log, tags frames with the client id, and forgets closed clients', () => {
    const engine = createFeedEngine({ receivedLimit: 3 });
    const a = fakeSocket();
    const b = fakeSocket('/ws', 'token=x');
    engine.accept(a.socket);
    engine.accept(b.socket);
    for (let i = 0; i < 5; i += 1) a.receive({ op: 'ping', id: i });
    b.receive('hello');
    expect(engine.received.map((r) => [r.clientId, r.frame])).toEqual([
      ['c1', '{"op":"ping","id":3}'],
      ['c1', '{"op":"ping","id":4}'],
      ['c2', 'hello'],
    ]);
    expect(engine.clients().map((c) => [c.id, c.query.get('token')])).toEqual([
      ['c1', null],
      ['c2', 'x'],
    ]);
    a.disconnect();
    expect(engine.clients().map((c) => c.id)).toEqual(['c2']);
    engine.clearReceived();
    expect(engine.received).toEqual([]);
    engine.close();
    expect(b.closed()?.code).toBe(1006);
  });

  it('refuse(ms) is reported by isRefusing for exactly that long', () => {
    const engine = createFeedEngine();
    engine.faults.refuse(1_000);
    expect(engine.isRefusing()).toBe(true);
    vi.advanceTimersByTime(999);
    expect(engine.isRefusing()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(engine.isRefusing()).toBe(false);
  });

  it('broadcast reaches every client whatever it subscribed to; objects are JSON-encoded', () => {
    const engine = createFeedEngine();
    const a = fakeSocket();
    engine.accept(a.socket);
    engine.broadcast({ op: 'event', type: 'x', data: {} });
    engine.broadcast('plain');
    expect(a.sent.slice(1)).toEqual(['{"op":"event","type":"x","data":{}}', 'plain']);
  });
});

describe('dialect registry', () => {
  it('names native, and rejects unknown names with the list', () => {
    expect(dialectNames()).toContain('native');
    expect(() => createDialect('nope')).toThrow(/unknown protocol "nope".*native/);
    expect(() => createFeedEngine({ protocol: 'nope' })).toThrow(TypeError);
  });

  it('runs a registered dialect: endpoint per feed, no channels on the wire, everyone receives', () => {
    // The shape of seed 004: one path per feed, `{type, data, timestamp}` frames, `{action:"ping"}`.
    const perFeed = (): ServerDialect => ({
      name: 'test-per-feed',
      paths: ['/ws/earnings', '/ws/notifications'],
      open: () => {},
      message(client, frame) {
        if (frame.includes('"ping"')) client.send(JSON.stringify({ type: 'pong', timestamp: 't' }));
      },
      receives: (client, event) => client.path === `/ws/${event.channel}`,
      encode: (event) =>
        JSON.stringify({ type: event.type, data: event.data, timestamp: new Date(event.ts).toISOString() }),
      feed: () => () => ({ channel: 'earnings', type: 'earnings', data: {} }),
    });
    registerDialect('test-per-feed', perFeed);
    const engine = createFeedEngine({ protocol: 'test-per-feed' });
    const earnings = fakeSocket('/ws/earnings');
    const notes = fakeSocket('/ws/notifications');
    engine.accept(earnings.socket);
    engine.accept(notes.socket);
    engine.publish('earnings', 'earnings', { pnl: '1.00' });
    notes.receive('{"action":"ping"}');
    expect(earnings.frames()).toEqual([{ type: 'earnings', data: { pnl: '1.00' }, timestamp: expect.any(String) }]);
    expect(notes.frames()).toEqual([{ type: 'pong', timestamp: 't' }]);
    expect(engine.http('GET', '/events').status).toBe(404); // REST polling is the native dialect's
    engine.close();
  });
});

describe('a dialect that throws', () => {
  it('costs the connection (1011), not the engine', () => {
    const broken: ServerDialect = {
      ...createDialect('native'),
      message: () => {
        throw new Error('bug');
      },
    };
    const engine = createFeedEngine({ protocol: broken });
    const a = fakeSocket();
    const b = fakeSocket();
    engine.accept(a.socket);
    engine.accept(b.socket);
    expect(() => a.receive({ op: 'ping', id: 1 })).not.toThrow();
    expect(a.closed()).toEqual({ code: 1011, reason: 'internal error' });
    expect(engine.clients().map((c) => c.id)).toEqual(['c2']);
    engine.close();
  });
});

describe('ReplayBuffer', () => {
  it('keeps the newest `capacity` events and finds those after a seq', () => {
    const buffer = new ReplayBuffer<{ seq: number }>(3);
    expect(buffer.firstSeq()).toBeUndefined();
    for (let seq = 1; seq <= 5; seq += 1) buffer.push({ seq });
    expect(buffer.length).toBe(3);
    expect(buffer.firstSeq()).toBe(3);
    expect(buffer.after(0).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(buffer.after(3).map((e) => e.seq)).toEqual([4, 5]);
    expect(buffer.after(5)).toEqual([]);
    const none = new ReplayBuffer<{ seq: number }>(0);
    none.push({ seq: 1 });
    expect(none.after(0)).toEqual([]);
  });
});
