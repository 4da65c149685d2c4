import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveReconnect } from '../../../src/client/backoff.js';
import { createEndpoints } from '../../../src/client/endpoints.js';
import type { EndpointsOptions } from '../../../src/client/endpoints-types.js';
import { polling } from '../../../src/client/fallback.js';
import { createOutbox } from '../../../src/client/outbox.js';
import { createRegistry } from '../../../src/client/subscriptions.js';
import { createTokenSource } from '../../../src/client/token.js';
import { native } from '../../../src/protocol/native.js';
import { defineProtocol } from '../../../src/protocol/define.js';
import { fakeTransport, settle } from '../../helpers/fake-transport.js';

/** The endpoints unit alone: a registry and cursors in, frames on fake sockets out. */
function setup(overrides: Partial<EndpointsOptions> = {}) {
  const fake = fakeTransport();
  const registry = createRegistry({ handlerError: () => {}, unsubscribeDelayMs: 0 });
  const cursors = new Map<string, number>();
  const protocol = overrides.protocol ?? native();
  const endpoints = createEndpoints({
    protocol,
    urls: ['ws://feed.test/ws'],
    transport: fake.transport,
    hasWebSocket: true,
    connection: {
      protocol,
      reconnect: resolveReconnect({ initialDelayMs: 100, minDelayMs: 100, jitter: 'none' }),
      connectTimeoutMs: 10_000,
      heartbeat: false,
      fixedInterval: false,
      tokens: createTokenSource(undefined),
      random: () => 1,
      isHidden: () => false,
      maxMessageBytes: 1_000_000,
    },
    registry,
    receive: { since: (channel) => cursors.get(channel), items: () => {} },
    outbox: createOutbox(10),
    fallback: undefined,
    probeTimeoutMs: 3_000,
    ...overrides,
  });
  const states: string[] = [];
  endpoints.on('changed', () => states.push(endpoints.state()));
  return { fake, registry, cursors, endpoints, states };
}

describe('endpoints (alone)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('subscribes every wire on open, with since from the cursors, and flushes the outbox after', async () => {
    const { fake, registry, cursors, endpoints } = setup();
    registry.acquire('prices', {});
    cursors.set('prices', 41);
    endpoints.start();
    expect(endpoints.send('', '{"app":1}')).toBe(true); // queued while connecting
    const socket = (await settle(() => fake.latest)).open();
    expect(socket.frames()).toMatchObject([{ op: 'subscribe', channel: 'prices', params: {}, since: 41 }, { app: 1 }]);
    expect(endpoints.state()).toBe('open');
    await endpoints.close();
  });

  it('unsubscribe names the params; a 1.0 server gets the siblings subscribed again', async () => {
    const { fake, registry, endpoints } = setup();
    endpoints.start();
    const socket = (await settle(() => fake.latest)).open().message({ op: 'welcome' });
    const a = registry.acquire('trades', { symbols: ['A'] });
    registry.acquire('trades', { symbols: ['B'] });
    a.unsubscribe();
    expect(socket.frames().map((f) => `${String(f.op)} ${JSON.stringify(f.params)}`)).toEqual([
      'subscribe {"symbols":["A"]}',
      'subscribe {"symbols":["B"]}',
      'unsubscribe {"symbols":["A"]}',
      'subscribe {"symbols":["B"]}',
    ]);
    await endpoints.close();
  });

  it('aggregates the state of one socket per endpoint', async () => {
    const perChannel = defineProtocol({
      ...native(),
      name: 'per-channel',
      endpointFor: (base, channel) => `${base}/${channel}`,
    });
    const { fake, registry, endpoints } = setup({ protocol: perChannel });
    endpoints.start();
    expect(endpoints.state()).toBe('idle');
    registry.acquire('prices', {});
    registry.acquire('alerts', {});
    await settle(() => fake.sockets.length === 2);
    fake.sockets[0]!.open();
    expect(endpoints.state()).toBe('connecting');
    fake.sockets[1]!.open();
    expect(endpoints.state()).toBe('open');
    fake.sockets[0]!.close(1006);
    expect(endpoints.state()).toBe('reconnecting');
    await endpoints.close();
  });

  it('the fallback swaps which connection serves: usePolling() stops the sockets and polls', async () => {
    const bodies: string[] = [];
    const fetch = async (url: string) => {
      bodies.push(url);
      return { status: 200, headers: { get: () => null }, text: async () => '{"events":[],"next":{"prices":0}}' };
    };
    const { fake, registry, endpoints, states } = setup({
      fallback: polling({ fetch, intervalMs: 50, probe: { initialDelayMs: 60_000 } }),
    });
    registry.acquire('prices', {});
    endpoints.start();
    (await settle(() => fake.latest)).open();
    expect(endpoints.usePolling()).toBe(true);
    expect(fake.latest!.closedBy).toBeDefined();
    await vi.advanceTimersByTimeAsync(0);
    await settle(() => endpoints.state() === 'polling');
    expect(endpoints.polling).toBe(true);
    expect(bodies[0]).toContain('/events?channels=prices');
    expect(states).toContain('connecting');
    await endpoints.close();
  });
});
