import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  defineProtocol,
  native,
  type Client,
  type DashboardEvents,
  type StateChange,
} from '../../src/index.js';
import { nativeDialect, seededRandom } from '../../src/mock-server/index.js';
import { createMemoryServer, type MemoryServer } from '../../src/testing/memory.js';
import { flush, price } from '../helpers/scripted-server.js';

/**
 * Tokens across the sockets of one client: a protocol with one endpoint per channel (three
 * sockets) against a native server that checks tokens. A token that expired while offline is
 * refreshed ONCE, shared by every socket; a refusal after the refresh stops with `auth_failed`.
 */

const channels = ['prices', 'trades', 'alerts'] as const;

/** Native frames, one URL per channel: `/ws/prices`, `/ws/trades`, `/ws/alerts`. */
const perChannel = defineProtocol({
  ...native(),
  name: 'native-per-channel',
  endpointFor: (base: string, channel: string) => `${base}/${channel}`,
});

/** A server that checks tokens with some latency (a real one asks its identity provider). */
function setup(accepts: (token: string) => boolean, latencyMs = 0) {
  return createMemoryServer({
    protocol: nativeDialect({ paths: channels.map((c) => `/ws/${c}`) }),
    auth: (token) =>
      latencyMs
        ? new Promise<boolean>((resolve) => setTimeout(() => resolve(accepts(token)), latencyMs))
        : accepts(token),
  });
}

/** Generation number of a `jwt-N` token. */
const generation = (token: string): number => Number(token.slice(4));

describe('tokens with several sockets per client (fake timers, memory transport)', () => {
  let server: MemoryServer | undefined;
  let client: Client<DashboardEvents> | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(async () => {
    await client?.close();
    await server?.close();
    server = client = undefined;
    vi.useRealTimers();
  });

  it('a token that expired while offline is refreshed once, shared by all sockets, before they resume', async () => {
    let oldestValid = 1;
    // Verdicts take 400 ms: sockets that reconnect within that window all present the expired
    // token, and learn of the refusal only after the first of them has already refreshed.
    server = setup((token) => generation(token) >= oldestValid, 400);
    // An app that caches its JWT and fetches a new one only when told it was refused.
    let issued = 'jwt-1';
    const requests: string[] = [];
    client = createClient({
      url: 'memory://dashwire/ws',
      protocol: perChannel,
      transport: server.transport,
      heartbeat: false,
      random: seededRandom(42),
      auth: {
        token: async ({ reason }) => {
          requests.push(reason);
          if (reason === 'refresh') issued = `jwt-${Number(issued.slice(4)) + 1}`;
          return issued;
        },
      },
    });
    const got: string[] = [];
    for (const channel of channels) client.subscribe(channel);
    client.on('price_update', (_t, m) => got.push(`${m.channel}:${m.seq}`));
    await vi.advanceTimersByTimeAsync(500);
    expect(server.clients).toBe(3);
    expect(requests).toEqual(['connect']); // three sockets, one provider call
    // Offline: every socket drops and, meanwhile, the token expires.
    server.faults.dropAll();
    oldestValid = 2;
    server.publish('prices', 'price_update', price('SOL', '1.00'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.state).toBe('open');
    expect(server.clients).toBe(3);
    expect(requests.filter((r) => r === 'refresh')).toHaveLength(1);
    // Every socket now authenticates with the refreshed token, and nothing published offline was lost.
    const authFrames = server.received
      .filter((f) => (f.json as { op?: string }).op === 'auth')
      .map((f) => (f.json as { token: string }).token);
    expect(authFrames.slice(-3)).toEqual(['jwt-2', 'jwt-2', 'jwt-2']);
    await flush();
    expect(got).toEqual(['prices:1']);
  });

  it('refused again after the refresh: stops with a clear `auth_failed` state instead of looping', async () => {
    server = setup(() => false);
    const requests: string[] = [];
    client = createClient({
      url: 'memory://dashwire/ws',
      protocol: perChannel,
      transport: server.transport,
      heartbeat: false,
      random: seededRandom(7),
      auth: { token: ({ reason }) => (requests.push(reason), `t-${requests.length}`) },
    });
    const changes: StateChange[] = [];
    client.on('state', (c) => changes.push(c));
    const subs = channels.map((c) => client!.subscribe(c));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.state).toBe('closed');
    expect(client.error?.code).toBe('auth_failed');
    expect(changes.at(-1)).toMatchObject({ current: 'closed', error: { code: 'auth_failed' } });
    for (const sub of subs) await expect(sub.ready).rejects.toMatchObject({ name: 'DashwireError' });
    expect(requests.filter((r) => r === 'refresh')).toHaveLength(1);
    // No loop: nothing more is attempted, however long we wait.
    const attempts = server.received.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(server.received.length).toBe(attempts);
    expect(requests.length).toBeLessThanOrEqual(2);
  });
});
