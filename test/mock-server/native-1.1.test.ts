import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeedEngine } from '../../src/server/engine.js';
import { nativeDialect } from '../../src/server/native-dialect.js';
import { fakeSocket, type FakeSocket } from './fake-socket.js';

// Native protocol 1.1 on the engine, synchronously (docs/protocol.md §4, §9, §11).

const price = (symbol: string) => ({ symbol, price: '1.00', change_24h: '0.00', ts: 1 });

function connect(engine: ReturnType<typeof createFeedEngine>): FakeSocket {
  const c = fakeSocket();
  engine.accept(c.socket);
  return c;
}

const events = (c: FakeSocket) => c.frames().filter((f) => f.op === 'event');

describe('native 1.1: subscriptions per (channel, params)', () => {
  afterEach(() => vi.useRealTimers());

  it('welcome announces version 1.1', () => {
    const c = connect(createFeedEngine());
    expect(c.frames()[0]).toMatchObject({ op: 'welcome', version: '1.1' });
  });

  it('two variants of one channel: each event once; unsubscribing one keeps the other live', () => {
    const engine = createFeedEngine();
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'trades', params: { symbols: ['AAPL'] } });
    c.receive({ op: 'subscribe', id: 2, channel: 'trades', params: { symbols: ['MSFT'] } });
    engine.publish('trades', 'trade', { symbol: 'MSFT' });
    expect(events(c).map((e) => e.seq)).toEqual([1]);
    // Keys in another order name the same subscription.
    c.receive({ op: 'unsubscribe', id: 3, channel: 'trades', params: { symbols: ['AAPL'] } });
    expect(c.frames().at(-1)).toEqual({ op: 'ack', id: 3, channel: 'trades' });
    engine.publish('trades', 'trade', { symbol: 'MSFT' });
    expect(events(c).map((e) => e.seq)).toEqual([1, 2]);
    expect(engine.clients()[0]?.subscriptions.get('trades')).toEqual({ symbols: ['MSFT'] });
    c.receive({ op: 'unsubscribe', id: 4, channel: 'trades', params: { symbols: ['MSFT'] } });
    engine.publish('trades', 'trade', { symbol: 'MSFT' });
    expect(events(c).map((e) => e.seq)).toEqual([1, 2]);
    expect(engine.clients()[0]?.subscriptions.has('trades')).toBe(false);
  });

  it('params are compared by value, keys sorted', () => {
    const engine = createFeedEngine();
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'portfolio', params: { account: 'a', view: 'x' } });
    c.receive({ op: 'unsubscribe', id: 2, channel: 'portfolio', params: { view: 'x', account: 'a' } });
    engine.publish('portfolio', 'portfolio_value', { account: 'a' });
    expect(events(c)).toEqual([]);
  });

  it('unsubscribing what the connection does not hold is acked (idempotent)', () => {
    const c = connect(createFeedEngine());
    c.receive({ op: 'unsubscribe', id: 9, channel: 'prices', params: { symbols: ['X'] } });
    c.receive({ op: 'unsubscribe', id: 10, channel: 'prices', params: { symbols: ['X'] } });
    expect(c.frames().slice(1)).toEqual([
      { op: 'ack', id: 9, channel: 'prices' },
      { op: 'ack', id: 10, channel: 'prices' },
    ]);
  });

  it('an unsubscribe without params (a 1.0 client) ends every subscription of the channel', () => {
    const engine = createFeedEngine();
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'prices', params: { symbols: ['A'] } });
    c.receive({ op: 'subscribe', id: 2, channel: 'prices', params: { symbols: ['B'] } });
    c.receive({ op: 'unsubscribe', id: 3, channel: 'prices' });
    engine.publish('prices', 'price_update', price('A'));
    expect(events(c)).toEqual([]);
  });

  it('a new variant with since gets the replay after since, then the ack', () => {
    const engine = createFeedEngine();
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'prices', params: {} });
    for (const s of ['A', 'B', 'C']) engine.publish('prices', 'price_update', price(s));
    c.receive({ op: 'subscribe', id: 2, channel: 'prices', params: { symbols: ['C'] }, since: 2 });
    const tail = c.frames().slice(-2);
    expect(tail).toEqual([
      expect.objectContaining({ op: 'event', seq: 3 }),
      { op: 'ack', id: 2, channel: 'prices', recovered: true, seq: 3 },
    ]);
  });

  it('recovered:false sends no replay; the ack carries the last seq', () => {
    const engine = createFeedEngine({ replayBuffer: 2 });
    for (const s of ['A', 'B', 'C', 'D']) engine.publish('prices', 'price_update', price(s));
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'prices', params: {}, since: 1 });
    expect(c.frames().slice(1)).toEqual([{ op: 'ack', id: 1, channel: 'prices', recovered: false, seq: 4 }]);
    // since + 1 is the oldest buffered seq: recovered.
    const d = connect(engine);
    d.receive({ op: 'subscribe', id: 1, channel: 'prices', params: {}, since: 2 });
    expect(
      d
        .frames()
        .slice(1)
        .map((f) => f.seq),
    ).toEqual([3, 4, 4]);
    expect(d.frames().at(-1)).toMatchObject({ op: 'ack', recovered: true });
  });

  it('a batch frame is handled item by item, in order', () => {
    const c = connect(createFeedEngine());
    c.receive([
      { op: 'subscribe', id: 1, channel: 'prices', params: {} },
      { op: 'ping', id: 2 },
    ]);
    expect(c.frames().slice(1)).toEqual([
      { op: 'ack', id: 1, channel: 'prices', seq: 0 },
      { op: 'pong', id: 2 },
    ]);
  });
});

describe('native 1.1: unknown channels', () => {
  it('refuses a channel the server does not have, by default', () => {
    const c = connect(createFeedEngine());
    c.receive({ op: 'subscribe', id: 1, channel: 'pricez', params: {} });
    expect(c.frames()[1]).toEqual({
      op: 'error',
      id: 1,
      channel: 'pricez',
      code: 'unknown_channel',
      message: 'no channel "pricez"',
    });
  });

  it('accepts a channel something was published on, and any channel with channels: "any"', () => {
    const engine = createFeedEngine();
    engine.publish('news', 'headline', {});
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'news', params: {} });
    expect(c.frames()[1]).toMatchObject({ op: 'ack', id: 1, seq: 1 });
    const open = connect(createFeedEngine({ channels: 'any' }));
    open.receive({ op: 'subscribe', id: 1, channel: 'anything', params: {} });
    expect(open.frames()[1]).toMatchObject({ op: 'ack', id: 1 });
  });

  it('an explicit list replaces the default one', () => {
    const engine = createFeedEngine({ channels: ['quotes'] });
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'quotes', params: {} });
    c.receive({ op: 'subscribe', id: 2, channel: 'prices', params: {} });
    expect(
      c
        .frames()
        .slice(1)
        .map((f) => f.op),
    ).toEqual(['ack', 'error']);
  });
});

describe('native 1.1: auth deadline', () => {
  afterEach(() => vi.useRealTimers());

  it('a connection that sends no auth within authTimeoutMs gets error unauthorized and close 4001', async () => {
    vi.useFakeTimers();
    const engine = createFeedEngine({ auth: () => true });
    const c = connect(engine);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(c.closed()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(c.frames()).toEqual([{ op: 'error', code: 'unauthorized', message: 'no auth frame within 10000 ms' }]);
    expect(c.closed()).toEqual({ code: 4001, reason: 'unauthorized' });
  });

  it('the deadline is an option, and a timely auth cancels it', async () => {
    vi.useFakeTimers();
    const engine = createFeedEngine({ auth: () => true, protocol: nativeDialect({ authTimeoutMs: 500 }) });
    const late = connect(engine);
    const ok = connect(engine);
    ok.receive({ op: 'auth', token: 't' });
    await vi.advanceTimersByTimeAsync(500);
    expect(late.closed()?.code).toBe(4001);
    expect(ok.closed()).toBeUndefined();
    expect(ok.frames()[0]).toMatchObject({ op: 'welcome' });
  });

  it('a first frame that is not auth is refused at once', () => {
    const engine = createFeedEngine({ auth: () => true });
    const c = connect(engine);
    c.receive({ op: 'subscribe', id: 1, channel: 'prices', params: {} });
    expect(c.frames()).toEqual([
      { op: 'error', code: 'unauthorized', message: 'the first frame must be {"op":"auth","token":"…"}' },
    ]);
    expect(c.closed()?.code).toBe(4001);
  });
});
