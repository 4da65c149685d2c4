import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, defineProtocol, native, type ConnectionState } from '../../src/index.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

/** The native protocol with one URL per channel, as servers like seed 004 have. */
const perChannel = defineProtocol({
  ...native(),
  name: 'per-channel',
  endpointFor: (base, channel) => `${base}/${channel}`,
});

describe('a protocol with one endpoint per channel', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs one socket per endpoint under one state and one reconnect policy', async () => {
    const server = scriptedServer();
    const client = createClient({
      url: 'ws://feed.test/ws',
      protocol: perChannel,
      transport: server.transport,
      random: () => 0,
    });
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s.current));
    await flush();
    expect(client.state).toBe('idle'); // nothing to connect to until something is subscribed
    const prices = client.subscribe('prices');
    const got: string[] = [];
    prices.on('price_update', (p) => got.push(p.price));
    const alerts = client.subscribe('alerts');
    await flush();
    expect(server.sockets.map((s) => s.path).sort()).toEqual(['/ws/alerts', '/ws/prices']);
    expect(client.state).toBe('open');
    expect(prices.state).toBe('subscribed');
    expect(alerts.state).toBe('subscribed');

    // One endpoint drops: the client as a whole is reconnecting until it is back.
    const pricesSocket = server.sockets.find((s) => s.path === '/ws/prices')!;
    pricesSocket.terminate();
    await flush();
    expect(client.state).toBe('reconnecting');
    expect(alerts.state).toBe('subscribed');
    await vi.advanceTimersByTimeAsync(200);
    expect(client.state).toBe('open');
    const again = server.sockets.filter((s) => s.path === '/ws/prices');
    expect(again).toHaveLength(2);
    again[1]!.send(
      JSON.stringify({ op: 'event', channel: 'prices', seq: 1, type: 'price_update', data: price('SOL', '9.99') }),
    );
    await flush();
    expect(got).toEqual(['9.99']);

    // Releasing the last subscription of an endpoint closes its socket.
    alerts.unsubscribe();
    await flush();
    expect(client.state).toBe('open');
    prices.unsubscribe();
    await flush();
    expect(client.state).toBe('idle');
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open', 'idle']);
    await client.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
