// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryServer, createTestServer, type TestServer } from '../../src/testing/index.js';
import type { CloseInfo } from '../../src/transport/types.js';
import type { WebSocketLike } from '../../src/transport/websocket.js';
import type { Frame } from './ws-client.js';

/** A client socket on mock-socket that records what it sees. */
function open(server: TestServer, url = server.url) {
  const ws: WebSocketLike = new server.WebSocket(url);
  const frames: Frame[] = [];
  const seen = { open: false, error: false, close: undefined as { code: number } | undefined };
  ws.onopen = () => (seen.open = true);
  ws.onerror = () => (seen.error = true);
  ws.onclose = (event) => (seen.close = { code: event.code });
  ws.onmessage = (event) => frames.push(JSON.parse(String(event.data)) as Frame);
  const send = (frame: object) => ws.send(JSON.stringify(frame));
  return {
    ws,
    frames,
    seen,
    send,
    ops: () => frames.map((f) => (f.op === 'event' ? `#${String(f.seq)}` : String(f.op))),
  };
}

describe('createTestServer (mock-socket)', () => {
  let server: TestServer | undefined;
  const step = () => vi.advanceTimersByTimeAsync(10); // mock-socket delivers after a 4 ms timer

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    vi.useRealTimers();
  });

  it('speaks the native protocol to mock-socket clients without touching globalThis.WebSocket', async () => {
    const before = globalThis.WebSocket;
    server = createTestServer({ heartbeatMs: 1_000 });
    expect(globalThis.WebSocket).toBe(before);
    expect(server.url).toBe('ws://dashwire.test/ws');
    const c = open(server);
    await step();
    expect(c.frames[0]).toEqual({ op: 'welcome', session: expect.any(String), version: '1.1', heartbeatMs: 1_000 });
    c.send({ op: 'subscribe', id: 1, channel: 'prices' });
    await step();
    server.publish('prices', 'price_update', { symbol: 'SOL', price: '150.00', change_24h: '1.00', ts: 1 });
    c.send({ op: 'ping', id: 2 });
    await step();
    expect(c.ops()).toEqual(['welcome', 'ack', '#1', 'pong']);
    expect(server.clients).toBe(1);
    expect(server.received.map((r) => r.json)).toEqual([
      { op: 'subscribe', id: 1, channel: 'prices' },
      { op: 'ping', id: 2 },
    ]);
  });

  it('injects faults: dropAll, refuse, blockUpgrades, sendRaw', async () => {
    server = createTestServer();
    const a = open(server);
    await step();
    server.faults.dropAll();
    await step();
    expect(a.seen.close?.code).toBe(1006);
    expect(server.clients).toBe(0);

    server.faults.refuse(1_000);
    const refused = open(server);
    await step();
    expect(refused.seen).toMatchObject({ open: false, error: true });
    await vi.advanceTimersByTimeAsync(1_000);

    server.faults.blockUpgrades({ mode: '403' });
    const forbidden = open(server);
    await step();
    expect(forbidden.seen).toMatchObject({ open: false, error: true });

    server.faults.blockUpgrades({ mode: 'accept-then-close' });
    const dropped = open(server);
    await step();
    expect(dropped.seen.open).toBe(true);
    expect(dropped.seen.close?.code).toBe(1006);
    expect(dropped.frames).toEqual([]);

    server.faults.blockUpgrades(false);
    const ok = open(server);
    await step();
    const raw: unknown[] = [];
    ok.ws.onmessage = (event) => raw.push(event.data);
    server.faults.sendRaw('{"op":"event","seq":');
    expect(raw).toEqual(['{"op":"event","seq":']);
  });

  it('restart keeps seqs, refuses while down, and fetch fails while down', async () => {
    server = createTestServer();
    for (let i = 0; i < 3; i += 1) server.publish('alerts', 'alert', { i });
    const a = open(server);
    await step();
    const restarting = server.restart({ downMs: 500 });
    await step();
    expect(a.seen.close?.code).toBe(1006);
    const during = open(server);
    await expect(server.fetch(`${server.httpUrl}/health`)).rejects.toThrow(TypeError);
    await step();
    expect(during.seen.error).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    await restarting;
    const b = open(server);
    await step();
    b.send({ op: 'subscribe', id: 1, channel: 'alerts', since: 1 });
    await step();
    expect(b.ops()).toEqual(['welcome', '#2', '#3', 'ack']);
  });

  it('serves REST polling through its fetch, with ETag / 304', async () => {
    server = createTestServer();
    server.publish('prices', 'price_update', { n: 1 });
    const res = await server.fetch(`${server.httpUrl}/events?channel=prices&since=0`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ next: 1, events: [{ op: 'event', seq: 1 }] });
    const etag = res.headers.get('etag')!;
    const again = await server.fetch(`${server.httpUrl}/events?channel=prices&since=0`, {
      headers: { 'If-None-Match': etag },
    });
    expect(again.status).toBe(304);
    await expect(server.fetch('http://elsewhere.test/events')).rejects.toThrow(TypeError);
  });

  it('frees its URL on close, and rejects a path the dialect does not serve', async () => {
    server = createTestServer({ url: 'ws://dashwire.test/ws' });
    expect(() => createTestServer({ url: 'ws://dashwire.test' })).toThrow(/already listening/);
    await server.close();
    server = createTestServer({ url: 'ws://dashwire.test' });
    expect(() => createTestServer({ url: 'ws://other.test/feed' })).toThrow(/serves \/ws, not \/feed/);
  });
});

describe('createMemoryServer (memoryTransport)', () => {
  it('runs the engine behind the in-memory transport, refusals included', async () => {
    const server = createMemoryServer();
    server.publish('trades', 'trade', { id: 't1' });
    const frames: Frame[] = [];
    const closes: CloseInfo[] = [];
    // A variable, not a literal: the handler set is growing while the client is written.
    const handlers = {
      onOpen: () => {},
      onMessage: (frame: string) => frames.push(JSON.parse(frame) as Frame),
      onClose: (info: CloseInfo) => closes.push(info),
      onError: () => {},
    };
    const connection = server.transport.connect({ url: server.url, handlers });
    await vi.waitFor(() => expect(frames).toHaveLength(1));
    connection.send(JSON.stringify({ op: 'subscribe', id: 1, channel: 'trades', since: 0 }));
    await vi.waitFor(() => expect(frames.map((f) => f.op)).toEqual(['welcome', 'event', 'ack']));
    expect(server.listClients()[0]?.path).toBe('/ws');

    server.faults.refuse(60_000);
    server.transport.connect({ url: server.url, handlers });
    await vi.waitFor(() => expect(closes).toEqual([{ code: 1006, reason: 'refused', wasClean: false }]));
    await server.close();
    await vi.waitFor(() => expect(closes).toHaveLength(2));
  });
});
