import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer, type MockServerOptions } from '../../src/mock-server/index.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { connect, type TestClient } from './ws-client.js';

const price = (symbol: string, p: string) => ({ symbol, price: p, change_24h: '0.10', ts: 1 });

describe('native dialect over ws', () => {
  let server: MockServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  async function start(options: MockServerOptions = {}): Promise<MockServer> {
    server = await createMockServer(options);
    return server;
  }

  async function open(url = server!.url): Promise<TestClient> {
    const client = await connect(url);
    clients.push(client);
    return client;
  }

  it('listens on 127.0.0.1 with the main endpoint at /ws, and welcomes each client', async () => {
    const s = await start({ heartbeatMs: 5_000 });
    expect(s.url).toBe(`ws://127.0.0.1:${s.port}/ws`);
    expect(s.httpUrl).toBe(`http://127.0.0.1:${s.port}`);
    const a = await open();
    const b = await open();
    const wa = await a.next((f) => f.op === 'welcome');
    const wb = await b.next((f) => f.op === 'welcome');
    expect(wa).toEqual({ op: 'welcome', session: expect.any(String), version: '1.1', heartbeatMs: 5_000 });
    expect(wa.session).not.toBe(wb.session);
    await waitFor(() => s.clients === 2);
    expect(s.listClients().map((c) => c.path)).toEqual(['/ws', '/ws']);
  });

  it('delivers live events with increasing per-channel seq, only to subscribers', async () => {
    const s = await start();
    const sub = await open();
    const other = await open();
    sub.send({ op: 'subscribe', id: 1, channel: 'prices', params: {} });
    expect(await sub.next((f) => f.op === 'ack')).toEqual({ op: 'ack', id: 1, channel: 'prices', seq: 0 });
    s.publish('prices', 'price_update', price('BTC', '64000.00'));
    s.publish('trades', 'trade', { id: 't1' });
    s.publish('prices', 'price_update', price('ETH', '3200.00'));
    await waitFor(() => sub.events().length === 2);
    expect(sub.events().map((e) => [e.channel, e.seq, e.type])).toEqual([
      ['prices', 1, 'price_update'],
      ['prices', 2, 'price_update'],
    ]);
    expect(sub.events()[0]).toEqual({
      op: 'event',
      channel: 'prices',
      seq: 1,
      type: 'price_update',
      data: price('BTC', '64000.00'),
      ts: expect.any(Number),
    });
    expect(s.lastSeq('trades')).toBe(1);
    await sleep(20);
    expect(other.events()).toEqual([]);
  });

  it('replays events after `since` before the ack, and before any newer live event', async () => {
    const s = await start();
    for (let i = 1; i <= 5; i += 1) s.publish('prices', 'price_update', price('SOL', `${100 + i}.00`));
    const c = await open();
    c.send({ op: 'subscribe', id: 7, channel: 'prices', params: {}, since: 2 });
    // A live event published as soon as the subscribe is handled comes after the replay and the ack.
    const ackAt = c.next((f) => f.op === 'ack');
    await waitFor(() => s.received.length === 1);
    s.publish('prices', 'price_update', price('SOL', '106.00'));
    await ackAt;
    await waitFor(() => c.events().length === 4);
    const ops = c.frames
      .filter((f) => f.op !== 'welcome')
      .map((f) => (f.op === 'event' ? `e${String(f.seq)}` : String(f.op)));
    expect(ops).toEqual(['e3', 'e4', 'e5', 'ack', 'e6']);
    expect(c.frames.find((f) => f.op === 'ack')).toEqual({
      op: 'ack',
      id: 7,
      channel: 'prices',
      recovered: true,
      seq: 5,
    });
  });

  it('acks recovered:false, without replay, when the buffer no longer reaches back', async () => {
    const s = await start({ replayBuffer: 3 });
    for (let i = 1; i <= 10; i += 1) s.publish('prices', 'price_update', price('BTC', `${i}.00`));
    const c = await open();
    c.send({ op: 'subscribe', id: 1, channel: 'prices', since: 5 });
    expect(await c.next((f) => f.op === 'ack')).toEqual({
      op: 'ack',
      id: 1,
      channel: 'prices',
      recovered: false,
      seq: 10,
    });
    c.send({ op: 'subscribe', id: 2, channel: 'prices', since: 7 }); // 8, 9, 10 are buffered
    expect(await c.next((f) => f.op === 'ack' && f.id === 2)).toMatchObject({ recovered: true });
    expect(c.events().map((e) => e.seq)).toEqual([8, 9, 10]);
    c.send({ op: 'subscribe', id: 3, channel: 'prices', since: 99 }); // a cursor from another server's history
    expect(await c.next((f) => f.op === 'ack' && f.id === 3)).toMatchObject({ recovered: false });
  });

  it('stops delivering after unsubscribe, and acks it', async () => {
    const s = await start();
    const c = await open();
    c.send({ op: 'subscribe', id: 1, channel: 'alerts' });
    await c.next((f) => f.op === 'ack');
    s.publish('alerts', 'alert', { id: 'a1' });
    await waitFor(() => c.events().length === 1);
    c.send({ op: 'unsubscribe', id: 2, channel: 'alerts' });
    expect(await c.next((f) => f.op === 'ack' && f.id === 2)).toEqual({ op: 'ack', id: 2, channel: 'alerts' });
    s.publish('alerts', 'alert', { id: 'a2' });
    await sleep(30);
    expect(c.events()).toHaveLength(1);
  });

  it('answers ping with pong carrying the same id', async () => {
    await start();
    const c = await open();
    c.send({ op: 'ping', id: 42 });
    expect(await c.next((f) => f.op === 'pong')).toEqual({ op: 'pong', id: 42 });
  });

  it('answers bad frames with bad_request error frames and keeps the connection', async () => {
    const s = await start();
    const c = await open();
    const bad = [
      'not json',
      '[1,2]',
      '{"id":3}',
      '{"op":"launch","id":4}',
      '{"op":"subscribe","id":5}',
      '{"op":"subscribe","id":6,"channel":"prices","since":-1}',
      '{"op":"subscribe","channel":"prices"}',
    ];
    for (const frame of bad) c.send(frame);
    // '[1,2]' is a batch of two items that are not objects: one error each.
    await waitFor(() => c.frames.filter((f) => f.op === 'error').length === bad.length + 1);
    const errors = c.frames.filter((f) => f.op === 'error');
    expect(errors.every((e) => e.code === 'bad_request' && typeof e.message === 'string')).toBe(true);
    expect(errors.map((e) => e.id)).toEqual([undefined, undefined, undefined, 3, 4, 5, 6, undefined]);
    expect(s.received.map((r) => r.frame)).toEqual(bad);
    expect(s.received[0]).toMatchObject({ clientId: expect.stringMatching(/^c\d+$/), json: undefined });
    c.send({ op: 'ping', id: 1 });
    await c.next((f) => f.op === 'pong');
  });

  it('with auth: welcomes after an accepted token, refuses others with unauthorized + 4001', async () => {
    await start({ auth: async (token) => token === 'good' });
    const ok = await open();
    ok.send({ op: 'auth', token: 'good' });
    ok.send({ op: 'subscribe', id: 1, channel: 'prices' }); // pipelined behind auth
    await ok.next((f) => f.op === 'welcome');
    await ok.next((f) => f.op === 'ack');
    expect(ok.frames.map((f) => f.op)).toEqual(['welcome', 'ack']);

    const bad = await open();
    bad.send({ op: 'auth', token: 'bad' });
    expect(await bad.next((f) => f.op === 'error')).toEqual({
      op: 'error',
      code: 'unauthorized',
      message: 'token refused',
    });
    expect(await bad.waitClosed()).toEqual({ code: 4001, reason: 'unauthorized' });

    const none = await open();
    none.send({ op: 'subscribe', id: 1, channel: 'prices' });
    expect(await none.next((f) => f.op === 'error')).toMatchObject({ code: 'unauthorized' });
    expect((await none.waitClosed()).code).toBe(4001);
    expect(none.frames.some((f) => f.op === 'welcome')).toBe(false);
  });

  it('rejects upgrades on paths the dialect does not serve', async () => {
    const s = await start();
    await expect(connect(s.wsUrl('/nope'))).rejects.toThrow(/404/);
  });
});
