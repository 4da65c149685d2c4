import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  memoryTransport,
  type Client,
  type DashboardEvents,
  type ReconnectOptions,
} from '../../src/index.js';
import { createFeedEngine } from '../../src/server/engine.js';
import type { ServerSocket } from '../../src/transport/server-socket.js';
import { createMockServer, seededRandom, type MockServer } from '../../src/mock-server/index.js';
import { flush } from '../helpers/scripted-server.js';
import { waitFor } from '../helpers/wait.js';
import { histogram } from './harness.js';

/**
 * Reconnect storms: a thousand clients dropped at once must come back spread out by their
 * jitter, none before the backoff floor. Fake timers + the in-memory transport carry the
 * thousand; a real ws server checks the floor with a modest count.
 */

const N = 1_000;

/** Kolmogorov–Smirnov distance between the samples and the uniform distribution on [a, b]. */
function ksUniform(samples: readonly number[], a: number, b: number): number {
  const sorted = [...samples].sort((x, y) => x - y);
  let d = 0;
  sorted.forEach((x, i) => {
    const cdf = Math.min(1, Math.max(0, (x - a) / (b - a)));
    d = Math.max(d, Math.abs(cdf - i / sorted.length), Math.abs(cdf - (i + 1) / sorted.length));
  });
  return d;
}

/** Runs N clients against one engine, drops them all, and returns each one's reconnect delay. */
async function storm(
  reconnect: ReconnectOptions,
  seed: number,
  drop?: (sockets: ServerSocket[]) => void,
): Promise<number[]> {
  const engine = createFeedEngine({ protocol: 'native' });
  const accepts: number[] = [];
  const sockets: ServerSocket[] = [];
  const transport = memoryTransport((socket) => {
    accepts.push(Date.now());
    sockets.push(socket);
    engine.accept(socket);
  });
  const clients: Client<DashboardEvents>[] = [];
  for (let i = 0; i < N; i++) {
    // One seeded random source per client, as Math.random differs per browser tab.
    clients.push(
      createClient({
        url: 'memory://storm/ws',
        transport,
        reconnect,
        heartbeat: false,
        random: seededRandom(seed * 10_000 + i),
      }),
    );
  }
  await flush();
  expect(engine.clientCount).toBe(N);
  accepts.length = 0;
  const droppedAt = Date.now();
  if (drop) drop(sockets.splice(0));
  else engine.faults.dropAll();
  await vi.advanceTimersByTimeAsync((reconnect.initialDelayMs ?? 500) * 4 + 60_000);
  expect(engine.clientCount).toBe(N);
  for (const c of clients) await c.close();
  engine.close();
  return accepts.map((t) => t - droppedAt);
}

describe('reconnect storm: 1,000 clients dropped at once (fake timers, memory transport)', () => {
  afterEach(() => vi.useRealTimers());

  it('full jitter: nobody before the floor, delays uniform over [minDelayMs, initialDelayMs]', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const policy = { initialDelayMs: 1_000, minDelayMs: 100, jitter: 'full' } as const;
    const delays = await storm(policy, 1);
    console.log(`reconnect delays after a drop, full jitter, ${N} clients:\n${histogram(delays, 10)}`);
    expect(delays).toHaveLength(N);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(policy.minDelayMs);
    expect(Math.max(...delays)).toBeLessThanOrEqual(policy.initialDelayMs);
    // KS critical value for n = 1000 at α = 0.01 is 1.63/√n ≈ 0.052.
    expect(ksUniform(delays, policy.minDelayMs, policy.initialDelayMs)).toBeLessThan(0.052);
    // No single 10 ms window takes more than 3 % of the herd (uniform: ~1.1 %).
    const perWindow = new Map<number, number>();
    for (const d of delays) perWindow.set(Math.floor(d / 10), (perWindow.get(Math.floor(d / 10)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(N * 0.03);
  });

  it('equal jitter: delays uniform over [base/2, base]', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const policy = { initialDelayMs: 2_000, minDelayMs: 100, jitter: 'equal' } as const;
    const delays = await storm(policy, 2);
    console.log(`reconnect delays after a drop, equal jitter, ${N} clients:\n${histogram(delays, 10)}`);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1_000);
    expect(ksUniform(delays, 1_000, 2_000)).toBeLessThan(0.052);
  });

  it('a shared retry-after (close reason): nobody before it, and the herd still spreads by its jitter after it', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const policy = { initialDelayMs: 1_000, minDelayMs: 100, jitter: 'full' } as const;
    const delays = await storm(policy, 3, (sockets) => {
      for (const socket of sockets) socket.close(1013, 'retry-after=10');
    });
    console.log(`reconnect delays after "retry-after=10", ${N} clients:\n${histogram(delays, 10)}`);
    expect(delays).toHaveLength(N);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(10_000 + policy.minDelayMs);
    expect(ksUniform(delays, 10_000 + policy.minDelayMs, 10_000 + policy.initialDelayMs)).toBeLessThan(0.052);
  });
});

describe('reconnect storm over real sockets (127.0.0.1, modest count)', () => {
  let server: MockServer | undefined;
  const clients: Client<DashboardEvents>[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await server?.close();
    server = undefined;
  });

  it('50 clients dropped by the server: none reconnects before the floor', async () => {
    server = await createMockServer({ protocol: 'native', feed: false });
    const floorMs = 150;
    for (let i = 0; i < 50; i++) {
      clients.push(
        createClient({
          url: server.url,
          reconnect: { initialDelayMs: 600, minDelayMs: floorMs },
          random: seededRandom(100 + i),
        }),
      );
    }
    await waitFor(() => server!.clients === 50, 10_000);
    const droppedAt = Date.now();
    server.faults.dropAll();
    await waitFor(() => server!.clients === 50 && clients.every((c) => c.state === 'open'), 10_000);
    const delays = server.listClients().map((c) => c.connectedAt - droppedAt);
    console.log(`real sockets, reconnect delays (ms):\n${histogram(delays, 5, 30)}`);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(floorMs);
  });
});
