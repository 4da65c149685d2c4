// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  livenessDefaults,
  type Client,
  type ClientOptions,
  type DashboardEvents,
} from '../../src/index.js';
import { fakeTransport, settle, type FakeSocket } from '../helpers/fake-transport.js';

const fixedBackoff = { initialDelayMs: 100, minDelayMs: 100, maxDelayMs: 100, jitter: 'none' as const };

/** A native client on a fake transport; `welcome()` opens and acks the latest socket. */
function setup(options: Omit<ClientOptions<DashboardEvents>, 'protocol' | 'url'> = {}) {
  const fake = fakeTransport();
  const client: Client<DashboardEvents> = createClient({
    url: 'ws://feed.test/ws',
    transport: fake.transport,
    reconnect: fixedBackoff,
    heartbeat: { intervalMs: 10_000, timeoutMs: 10_000 },
    probeTimeoutMs: 1_000,
    ...options,
  });
  const states: string[] = [];
  client.on('state', (s) => states.push(s.current));
  const open = async (count: number): Promise<FakeSocket> => {
    const socket = await settle(() => (fake.sockets.length === count ? fake.latest : undefined));
    socket.open();
    socket.message({ op: 'welcome', session: 's', version: '1.1' });
    return socket;
  };
  const pings = (socket: FakeSocket) => socket.frames().filter((f) => f.op === 'ping').length;
  return { client, fake, states, open, pings };
}

describe('screens that never go dead (#16 part 3, fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z') });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('a heartbeat tick arriving much later than scheduled is a wake: the link is verified at once, dead within probeTimeoutMs', async () => {
    const { client, states, open, pings } = setup();
    const socket = await open(1);
    expect(pings(socket)).toBe(0);
    // The machine sleeps for an hour: the clock jumps, the timer fires late.
    vi.setSystemTime(Date.now() + 60 * 60_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pings(socket)).toBe(1);
    expect(client.state).toBe('open');
    await vi.advanceTimersByTimeAsync(999);
    expect(client.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(states).toEqual(['connecting', 'open', 'reconnecting']);
    expect(client.error?.code).toBe('heartbeat_timeout');
    await client.close();
  });

  it('a late tick on a live link costs one ping, answered: the connection stays open', async () => {
    const { client, states, open, pings } = setup();
    const socket = await open(1);
    vi.setSystemTime(Date.now() + livenessDefaults.wakeAfterMs + 60_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pings(socket)).toBe(1);
    const ping = socket.frames().find((f) => f.op === 'ping')!;
    socket.message({ op: 'pong', id: ping.id });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(states).toEqual(['connecting', 'open']);
    await client.close();
  });

  it.each([
    ['visibilitychange', () => document.dispatchEvent(new Event('visibilitychange'))],
    ['focus', () => window.dispatchEvent(new Event('focus'))],
    ['pageshow', () => window.dispatchEvent(new Event('pageshow'))],
    ['resume', () => document.dispatchEvent(new Event('resume'))],
    ['online', () => window.dispatchEvent(new Event('online'))],
  ])('%s re-checks at once: a ping, and a dead link is dropped within probeTimeoutMs', async (_name, fire) => {
    const { client, states, open, pings } = setup();
    const socket = await open(1);
    fire();
    expect(pings(socket)).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(states).toEqual(['connecting', 'open', 'reconnecting']);
    await client.close();
  });

  it('dialing pauses while navigator.onLine is false and resumes at once on online', async () => {
    const { client, fake, open } = setup();
    const socket = await open(1);
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    socket.close(1006);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(1); // nothing dialed while offline
    expect(client.state).toBe('reconnecting');
    online.mockReturnValue(true);
    window.dispatchEvent(new Event('online'));
    await settle(() => fake.sockets.length === 2);
    expect(fake.sockets).toHaveLength(2);
    await client.close();
  });

  it('a missed online event is caught by the pause re-reading navigator.onLine every offlineRecheckMs', async () => {
    const { client, fake, open } = setup();
    const socket = await open(1);
    const online = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    socket.close(1006);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.sockets).toHaveLength(1);
    online.mockReturnValue(true);
    await vi.advanceTimersByTimeAsync(livenessDefaults.offlineRecheckMs);
    expect(fake.sockets).toHaveLength(2);
    await client.close();
  });

  it('a hidden tab keeps its connection but backs off hiddenBackoffFactor times slower', async () => {
    const { client, fake, open } = setup();
    const socket = await open(1);
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    socket.close(1006);
    await vi.advanceTimersByTimeAsync(100 * livenessDefaults.hiddenBackoffFactor - 1);
    expect(fake.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sockets).toHaveLength(2);
    await client.close();
  });

  it('reconnect attempts never give up by default', async () => {
    const { client, fake } = setup();
    for (let i = 1; i <= 60; i++) {
      const socket = await settle(() => (fake.sockets.length === i ? fake.latest : undefined));
      socket.close(1006);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(client.state).toBe('reconnecting');
    expect(fake.sockets.length).toBeGreaterThan(60);
    await client.close();
  });

  it('tokens after sleep: an expired token ({ token, expiresAt }) is never used; the provider is asked for a fresh one first', async () => {
    const asked: string[] = [];
    let cached = { token: 'old', expiresAt: Date.now() + 10 * 60_000 };
    const { client, open } = setup({
      auth: {
        token: ({ reason }) => {
          asked.push(reason);
          if (reason === 'refresh') cached = { token: 'new', expiresAt: Date.now() + 10 * 60_000 };
          return cached; // a provider that caches, as many do
        },
      },
    });
    const first = await open(1);
    expect(first.frames().find((f) => f.op === 'auth')?.token).toBe('old');
    vi.setSystemTime(Date.now() + 20 * 60_000); // asleep past the expiry
    first.close(1006);
    await vi.advanceTimersByTimeAsync(100);
    const second = await open(2);
    expect(second.frames().find((f) => f.op === 'auth')?.token).toBe('new');
    expect(asked).toEqual(['connect', 'connect', 'refresh']);
    await client.close();
  });

  it("tokens after sleep: a JWT's exp is read when the provider returns a plain string", async () => {
    const jwt = (exp: number) => `h.${btoa(JSON.stringify({ exp: Math.floor(exp / 1000) })).replace(/=+$/, '')}.s`;
    const stale = jwt(Date.now() - 60_000);
    const fresh = jwt(Date.now() + 60 * 60_000);
    const { client, open } = setup({ auth: { token: ({ reason }) => (reason === 'refresh' ? fresh : stale) } });
    const socket = await open(1);
    expect(socket.frames().find((f) => f.op === 'auth')?.token).toBe(fresh);
    await client.close();
  });
});
