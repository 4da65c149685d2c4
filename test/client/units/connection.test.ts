import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConnection } from '../../../src/client/connection.js';
import type { ConnectionOptions } from '../../../src/client/connection-types.js';
import { resolveReconnect } from '../../../src/client/backoff.js';
import { createTokenSource } from '../../../src/client/token.js';
import type { DashwireError } from '../../../src/errors.js';
import { native } from '../../../src/protocol/native.js';
import type { Inbound } from '../../../src/protocol/types.js';
import { fakeTransport, settle } from '../../helpers/fake-transport.js';

/** The connection unit alone, against a scripted fake transport (no client around it). */
function setup(overrides: Partial<ConnectionOptions> = {}) {
  const fake = fakeTransport();
  const items: Inbound[] = [];
  const connection = createConnection({
    endpoint: 'ws://feed.test/ws',
    urls: ['ws://feed.test/ws'],
    protocol: native(),
    transport: fake.transport,
    reconnect: resolveReconnect({ initialDelayMs: 100, minDelayMs: 100, jitter: 'none' }),
    connectTimeoutMs: 1_000,
    heartbeat: { intervalMs: 10_000, timeoutMs: 5_000, hiddenTimeoutMs: 15_000 },
    fixedInterval: false,
    tokens: createTokenSource(undefined),
    random: () => 1,
    isHidden: () => false,
    maxMessageBytes: 1_000_000,
    channels: () => [],
    deliver: (list) => items.push(...list),
    ...overrides,
  });
  const log: string[] = [];
  const downs: { error: DashwireError; retryInMs: number | undefined }[] = [];
  connection.on('open', () => log.push('open'));
  connection.on('down', (error, retryInMs) => {
    log.push(`down:${error.code}:${retryInMs ?? 'stop'}`);
    downs.push({ error, retryInMs });
  });
  connection.on('rtt', (ms) => log.push(`rtt:${ms}`));
  connection.on('healthy', () => log.push('healthy'));
  connection.on('refused', (error) => log.push(`refused:${error.code}`));
  return { fake, connection, log, items, downs };
}

describe('connection (one endpoint, alone)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('opens, passes events up and keeps control frames (welcome, pong) to its session', async () => {
    const { fake, connection, log, items } = setup();
    connection.connect();
    const socket = await settle(() => fake.latest);
    expect(connection.phase).toBe('connecting');
    socket.open();
    expect(connection.phase).toBe('open');
    socket.message({ op: 'welcome', session: 's', version: '1.1', heartbeatMs: 2_000 });
    socket.message({ op: 'event', channel: 'prices', seq: 1, type: 'price_update', data: {} });
    expect(items.map((i) => i.kind)).toEqual(['event']);
    expect(connection.serverVersion).toBe('1.1');
    // The welcome's 2 s interval replaced the 10 s one: the ping goes out after 2 s of quiet.
    await vi.advanceTimersByTimeAsync(2_000);
    const ping = socket.frames().find((f) => f.op === 'ping')!;
    await vi.advanceTimersByTimeAsync(30);
    socket.message({ op: 'pong', id: ping.id });
    expect(log).toEqual(['open', 'rtt:30']);
    await connection.close();
  });

  it('reports down with the retry delay, then reconnects after it', async () => {
    const { fake, connection, log } = setup();
    connection.connect();
    (await settle(() => fake.latest)).open().message({ op: 'welcome' }).close(1006);
    expect(log).toEqual(['open', 'down:connection_lost:100']);
    expect(connection.phase).toBe('waiting');
    await vi.advanceTimersByTimeAsync(99);
    expect(fake.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle(() => fake.sockets.length === 2);
    await connection.close();
  });

  it('a close that reports down and is closed by the listener never retries (no re-check needed)', async () => {
    const { fake, connection } = setup();
    connection.on('down', () => void connection.close());
    connection.connect();
    (await settle(() => fake.latest)).open().close(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.sockets).toHaveLength(1);
  });

  it('a fatal close code stops it for good', async () => {
    const { fake, connection, log } = setup();
    connection.connect();
    (await settle(() => fake.latest)).open().close(4003, 'forbidden');
    expect(log).toEqual(['open', 'down:fatal_close:stop']);
    expect(connection.phase).toBe('stopped');
  });

  it('a handshake never answered times out, the socket is closed, and the retry follows', async () => {
    const { fake, connection, log } = setup();
    connection.connect();
    const socket = await settle(() => fake.latest);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(['down:connect_timeout:100']);
    expect(socket.closedBy).toBeDefined();
    await connection.close();
  });

  it('an auth error frame is refused once, the token refreshed, the next refusal stops', async () => {
    const reasons: string[] = [];
    const { fake, connection, log } = setup({
      tokens: createTokenSource({ token: ({ reason }) => (reasons.push(reason), `t${reasons.length}`) }),
    });
    connection.connect();
    (await settle(() => fake.latest)).open().message({ op: 'error', code: 'unauthorized', message: 'no' });
    expect(log).toEqual(['open', 'refused:auth_failed', 'down:auth_failed:0']);
    const second = await settle(() => fake.sockets[1]);
    expect(reasons).toEqual(['connect', 'refresh']);
    second.open().message({ op: 'error', code: 'unauthorized', message: 'no' });
    expect(log.at(-1)).toBe('down:auth_failed:stop');
  });

  it('probe mode: one attempt, pings on open, the first frame reports healthy and closes', async () => {
    const { fake, connection, log } = setup({ probe: { silenceMs: 5_000 } });
    connection.connect();
    const socket = (await settle(() => fake.latest)).open();
    expect(socket.frames().map((f) => f.op)).toEqual(['ping']);
    socket.message({ op: 'pong', id: 0 });
    expect(log).toEqual(['healthy']);
    expect(socket.closedBy).toBeDefined();
  });

  it('probe mode: a silent probe fails and does not retry', async () => {
    const { fake, connection, log } = setup({ probe: { silenceMs: 5_000 } });
    connection.connect();
    (await settle(() => fake.latest)).open();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(log).toEqual(['down:connection_lost:stop']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(1);
  });

  it('close() resolves once the socket reported its close, and nothing is reported after it', async () => {
    const { fake, connection, log } = setup();
    connection.connect();
    const socket = (await settle(() => fake.latest)).open();
    await connection.close();
    expect(socket.closedBy).toEqual({ code: 1000, reason: 'client closed' });
    expect(log).toEqual(['open']);
  });
});

describe('connection: stale sockets', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a socket given up (auth refresh) can never reach the connection again', async () => {
    const { fake, connection, items } = setup();
    connection.connect();
    const first = (await settle(() => fake.latest)).open();
    first.message({ op: 'error', code: 'unauthorized', message: '' });
    const second = (await settle(() => fake.sockets[1])).open();
    // The first socket's transport misbehaves and keeps calling back: nothing arrives.
    first.ended = false;
    first.message({ op: 'event', channel: 'prices', seq: 9, type: 'price_update', data: {} });
    first.close(1006);
    expect(items).toEqual([]);
    expect(connection.phase).toBe('open');
    second.message({ op: 'event', channel: 'prices', seq: 1, type: 'price_update', data: {} });
    expect(items).toHaveLength(1);
    await connection.close();
  });
});
