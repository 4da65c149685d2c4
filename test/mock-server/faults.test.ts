import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer, type MockServerOptions } from '../../src/mock-server/index.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { connect, connectFailure, type TestClient } from './ws-client.js';

const tick = (n: number) => ({ symbol: 'BTC', price: `${n}.00`, change_24h: '0.00', ts: n });

describe('mock server faults', () => {
  let server: MockServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    vi.useRealTimers();
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
    await client.next((f) => f.op === 'welcome');
    return client;
  }

  async function subscribed(channel = 'prices'): Promise<TestClient> {
    const c = await open();
    c.send({ op: 'subscribe', id: 1, channel });
    await c.next((f) => f.op === 'ack');
    return c;
  }

  it('dropAll terminates every connection without a close frame; new ones still work', async () => {
    const s = await start();
    const a = await open();
    const b = await open();
    s.faults.dropAll();
    expect((await a.waitClosed()).code).toBe(1006);
    expect((await b.waitClosed()).code).toBe(1006);
    expect(s.clients).toBe(0);
    await open();
    expect(s.clients).toBe(1);
  });

  it('refuse(ms) fails new upgrades with 503 while HTTP and existing connections keep working', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // sockets run on real time; only the refusal clock is ours
    const s = await start();
    const existing = await subscribed();
    s.faults.refuse(5_000);
    expect(await connectFailure(s.url)).toBe('503');
    expect((await fetch(`${s.httpUrl}/health`)).status).toBe(200);
    s.publish('prices', 'price_update', tick(1));
    await waitFor(() => existing.events().length === 1);
    vi.setSystemTime(Date.now() + 5_001);
    await open();
  });

  it('silence() is half-open: the socket stays up but nothing is answered or sent until lifted', async () => {
    const s = await start();
    const c = await subscribed();
    s.faults.silence(true);
    c.send({ op: 'ping', id: 9 });
    s.publish('prices', 'price_update', tick(1));
    await waitFor(() => s.received.length === 2); // the server did read the ping
    await sleep(50);
    expect(c.frames.filter((f) => f.op === 'pong' || f.op === 'event')).toEqual([]);
    expect(c.closed).toBeUndefined();
    s.faults.silence(false);
    c.send({ op: 'ping', id: 10 });
    expect(await c.next((f) => f.op === 'pong')).toEqual({ op: 'pong', id: 10 });
    // What was published while silent is still there for a resume.
    c.send({ op: 'subscribe', id: 2, channel: 'prices', since: 0 });
    await c.next((f) => f.op === 'ack' && f.id === 2);
    expect(c.events().map((e) => e.seq)).toEqual([1]);
  });

  it('sendRaw sends arbitrary text, malformed JSON included, to every client', async () => {
    const s = await start();
    const a = await open();
    const b = await open();
    s.faults.sendRaw('{"op":"event","channel":');
    s.broadcast({ op: 'event', channel: 'x', seq: 1, type: 'custom', data: {} });
    await waitFor(() => a.frames.length === 3 && b.frames.length === 3);
    expect(a.frames[1]).toEqual({ raw: '{"op":"event","channel":' });
    expect(b.frames[2]).toMatchObject({ type: 'custom' });
  });

  it('delay(ms) holds every outgoing frame back, in order', async () => {
    const s = await start();
    const c = await subscribed();
    s.faults.delay(120);
    const sent = performance.now();
    c.send({ op: 'ping', id: 1 });
    await waitFor(() => s.received.length === 2);
    s.publish('prices', 'price_update', tick(1));
    s.publish('prices', 'price_update', tick(2));
    await c.next((f) => f.op === 'pong');
    expect(performance.now() - sent).toBeGreaterThanOrEqual(110);
    await waitFor(() => c.events().length === 2);
    expect(c.frames.slice(2).map((f) => (f.op === 'event' ? f.seq : f.op))).toEqual(['pong', 1, 2]);
    s.faults.delay(0);
  });

  it('restart() drops everyone, refuses while down, and listens again on the same port keeping seqs', async () => {
    const s = await start();
    const c = await subscribed();
    for (let i = 1; i <= 3; i += 1) s.publish('prices', 'price_update', tick(i));
    await waitFor(() => c.events().length === 3);
    const port = s.port;
    const restarting = s.restart({ downMs: 150 });
    expect((await c.waitClosed()).code).toBe(1006);
    await expect(connect(s.url)).rejects.toThrow(/ECONNREFUSED/);
    await restarting;
    expect(s.port).toBe(port);
    const again = await open();
    again.send({ op: 'subscribe', id: 1, channel: 'prices', since: 1 });
    expect(await again.next((f) => f.op === 'ack')).toMatchObject({ recovered: true });
    s.publish('prices', 'price_update', tick(4));
    await waitFor(() => again.events().length === 3);
    expect(again.events().map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  it("blockUpgrades({ mode: '403' }) answers upgrades with 403 while HTTP works", async () => {
    const s = await start();
    s.faults.blockUpgrades({ mode: '403' });
    expect(await connectFailure(s.url)).toBe('403');
    const poll = await fetch(`${s.httpUrl}/events?channel=prices`);
    expect(poll.status).toBe(200);
    s.faults.blockUpgrades(false);
    await open();
  });

  it("blockUpgrades({ mode: 'accept-then-close' }) completes the handshake, then drops the socket", async () => {
    const s = await start();
    s.faults.blockUpgrades({ mode: 'accept-then-close' });
    const c = await connect(s.url);
    clients.push(c);
    expect((await c.waitClosed()).code).toBe(1006);
    expect(c.frames).toEqual([]);
    expect(s.clients).toBe(0);
  });

  it('close() resolves with every client gone, even during a restart', async () => {
    const s = await start({ feed: { rate: 50 } });
    const c = await subscribed();
    const restarting = s.restart({ downMs: 100 });
    await s.close();
    await restarting;
    expect((await c.waitClosed()).code).toBe(1006);
    await expect(connect(s.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
