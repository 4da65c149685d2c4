// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Client, type DashboardEvents, type StateChange } from '../../src/index.js';
import { createMemoryServer, type MemoryServer } from '../../src/testing/memory.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

/**
 * Dead connections: half-open sockets, frozen tabs, sleep and wake, and the browser's
 * wake-up events. Fake timers drive the heartbeat; `vi.setSystemTime` moves the wall clock
 * WITHOUT firing timers, which is exactly what a frozen tab or a sleeping laptop looks like.
 */

const url = 'ws://feed.test/ws';
const heartbeat = { intervalMs: 10_000, timeoutMs: 5_000 };
const tick = (i: number) => price('SOL', `${100 + i}.00`, i);

function watch(client: Client<DashboardEvents>) {
  const changes: StateChange[] = [];
  client.on('state', (c) => changes.push(c));
  return { changes, states: () => changes.map((c) => c.current) };
}

let visibility: DocumentVisibilityState = 'visible';

describe('dead connections are detected and recovered (happy-dom, fake timers)', () => {
  let client: Client<DashboardEvents> | undefined;
  let memory: MemoryServer | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
    visibility = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  });
  afterEach(async () => {
    await client?.close();
    await memory?.close();
    client = memory = undefined;
    vi.useRealTimers();
  });

  it('a half-open socket (faults.silence) is found within interval + timeout; nothing published meanwhile is lost', async () => {
    memory = createMemoryServer({ protocol: 'native', heartbeatMs: 60_000 });
    client = createClient({ url: memory.url, transport: memory.transport, heartbeat, random: () => 0 });
    const { changes } = watch(client);
    const got: number[] = [];
    client.subscribe('prices').on('price_update', (_t, m) => got.push(m.seq!));
    await flush();
    memory.publish('prices', 'price_update', tick(1));
    await flush();
    memory.faults.silence(true);
    for (let i = 2; i <= 5; i++) memory.publish('prices', 'price_update', tick(i));
    await vi.advanceTimersByTimeAsync(heartbeat.intervalMs + heartbeat.timeoutMs);
    expect(changes.at(-1)).toMatchObject({ current: 'reconnecting', error: { code: 'heartbeat_timeout' } });
    memory.faults.silence(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(client.state).toBe('open');
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });

  it('frozen tab, connection alive: after the clock jumps, the late tick probes instead of killing it', async () => {
    const server = scriptedServer();
    client = createClient({ url, transport: server.transport, heartbeat, random: () => 0 });
    const { states } = watch(client);
    await flush();
    // A ping goes out at 10 s; the tab freezes before its pong is processed.
    server.setAnswer(false);
    await vi.advanceTimersByTimeAsync(heartbeat.intervalMs);
    const firstPing = server.ops('ping').at(-1)!;
    vi.setSystemTime(Date.now() + 10 * 60_000); // 10 minutes pass, no timer fires
    server.setAnswer(true);
    // Thaw: the overdue heartbeat timer runs first, the queued pong right after it.
    await vi.advanceTimersByTimeAsync(heartbeat.timeoutMs);
    server.send({ op: 'pong', id: firstPing.id });
    await vi.advanceTimersByTimeAsync(heartbeat.intervalMs * 3);
    expect(states()).toEqual(['connecting', 'open']);
    expect(server.sockets).toHaveLength(1);
  });

  it('frozen tab, connection died meanwhile: found within one timeout after the thaw, then recovered', async () => {
    memory = createMemoryServer({ protocol: 'native', heartbeatMs: 60_000 });
    client = createClient({ url: memory.url, transport: memory.transport, heartbeat, random: () => 0 });
    const { states } = watch(client);
    const got: number[] = [];
    client.subscribe('prices').on('price_update', (_t, m) => got.push(m.seq!));
    await flush();
    memory.faults.silence(true);
    memory.publish('prices', 'price_update', tick(1));
    vi.setSystemTime(Date.now() + 30 * 60_000);
    await vi.advanceTimersByTimeAsync(heartbeat.intervalMs); // the throttled tick finally runs: it probes
    expect(client.state).toBe('open');
    // A tick that late is a wake (#16): death one short probe deadline (probeTimeoutMs, below
    // timeoutMs) after that probe. The reconnect then opens a TCP-level socket at once, as a
    // silent server accepts them, so read the state history rather than the state.
    await vi.advanceTimersByTimeAsync(Math.min(heartbeat.timeoutMs, 3_000));
    expect(states().slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting']);
    memory.faults.silence(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(states()).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(got).toEqual([1]);
  });

  it('sleep and wake: the date jumps hours ahead and the socket died silently; the client reconnects and resumes', async () => {
    const server = scriptedServer();
    client = createClient({ url, transport: server.transport, heartbeat, random: () => 0 });
    const { changes } = watch(client);
    const got: number[] = [];
    client.subscribe('prices').on('price_update', (_t, m) => got.push(m.seq!));
    await flush();
    server.event('prices', 1, 'price_update', tick(1));
    await flush();
    server.setAnswer(false); // the peer is gone, but no close ever arrives
    vi.setSystemTime(Date.now() + 3 * 3_600_000);
    await vi.advanceTimersByTimeAsync(heartbeat.intervalMs + heartbeat.timeoutMs);
    expect(changes.find((c) => c.current === 'reconnecting')).toMatchObject({ error: { code: 'heartbeat_timeout' } });
    server.setAnswer(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(client.state).toBe('open');
    // The resubscribe carries the position, so the server can replay what the sleep missed.
    expect(server.ops('subscribe').at(-1)).toMatchObject({ channel: 'prices', since: 1 });
    server.event('prices', 2, 'price_update', tick(2));
    await flush();
    expect(got).toEqual([1, 2]);
  });

  const wakeUps: [string, () => void][] = [
    ['visibilitychange', () => document.dispatchEvent(new Event('visibilitychange'))],
    ['pageshow', () => window.dispatchEvent(new Event('pageshow'))],
    ['online', () => window.dispatchEvent(new Event('online'))],
  ];

  it.each(wakeUps)(
    '`%s` pings at once and terminates a connection that does not answer within probeTimeoutMs',
    async (_name, fire) => {
      const server = scriptedServer();
      client = createClient({
        url,
        transport: server.transport,
        heartbeat: { intervalMs: 60_000, timeoutMs: 20_000 },
        probeTimeoutMs: 3_000,
        random: () => 0,
      });
      const { changes } = watch(client);
      await flush();
      server.setAnswer(false);
      const pingsBefore = server.ops('ping').length;
      fire();
      await flush();
      expect(server.ops('ping').length).toBe(pingsBefore + 1); // immediately, not after 60 s
      await vi.advanceTimersByTimeAsync(2_999);
      expect(client.state).toBe('open');
      await vi.advanceTimersByTimeAsync(1);
      expect(changes.at(-1)).toMatchObject({ current: 'reconnecting', error: { code: 'heartbeat_timeout' } });
      server.setAnswer(true);
      await vi.advanceTimersByTimeAsync(500);
      expect(client.state).toBe('open');
    },
  );

  it.each(wakeUps)('`%s` on a live connection: one ping, answered, nothing else happens', async (_name, fire) => {
    const server = scriptedServer();
    client = createClient({
      url,
      transport: server.transport,
      heartbeat: { intervalMs: 60_000, timeoutMs: 20_000 },
      random: () => 0,
    });
    const { states } = watch(client);
    await flush();
    fire();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.ops('ping')).toHaveLength(1);
    expect(states()).toEqual(['connecting', 'open']);
  });

  it('a hidden page does not probe on visibilitychange; becoming visible does', async () => {
    const server = scriptedServer();
    client = createClient({ url, transport: server.transport, heartbeat: { intervalMs: 60_000, timeoutMs: 20_000 } });
    await flush();
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(server.ops('ping')).toHaveLength(0);
    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(server.ops('ping')).toHaveLength(1);
  });

  it('a server announcing an absurd heartbeat (1e308 or 0.001 ms) neither spins timers nor floods pings', async () => {
    const server = scriptedServer({ welcome: false });
    client = createClient({ url, transport: server.transport, heartbeat: { timeoutMs: 5_000 } });
    await flush();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    server.send({ op: 'welcome', heartbeatMs: 1e308 });
    await vi.advanceTimersByTimeAsync(60_000);
    // An overflowing delay would fire every millisecond: tens of thousands of timers.
    expect(spy.mock.calls.length).toBeLessThan(10);
    server.send({ op: 'welcome', heartbeatMs: 0.001 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.ops('ping').length).toBeLessThanOrEqual(10); // at most one a second
    expect(client.state).toBe('open');
    spy.mockRestore();
  });
});
