import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type GapInfo, type InvalidMessage } from '../../src/index.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

const url = 'ws://feed.test/ws';

/**
 * NATIVE-1.1 §4: every event frame consumes its seq on the client, before validation or the
 * catalogue lookup. The seq stream is the server's, not the catalogue's.
 */
describe('every event frame consumes its seq', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  async function setup(options: { maxMessageBytes?: number } = {}) {
    const server = scriptedServer();
    const resynced: GapInfo[] = [];
    const client = createClient({
      url,
      transport: server.transport,
      random: () => 1,
      resync: (gap) => void resynced.push(gap),
      ...options,
    });
    const gaps: GapInfo[] = [];
    const unknown: string[] = [];
    const invalid: InvalidMessage[] = [];
    const prices: number[] = [];
    client.on('gap', (g) => gaps.push(g));
    client.on('unknown', (m) => unknown.push(m.type));
    client.on('invalid', (m) => invalid.push(m));
    client.subscribe('prices').on('price_update', (_t, meta) => prices.push(meta.seq!));
    await flush();
    return { server, client, gaps, unknown, invalid, prices, resynced };
  }

  /** Drops the connection, lets the client reconnect, and returns the resubscribe frame. */
  async function reconnect(server: ReturnType<typeof scriptedServer>) {
    server.current!.terminate();
    await flush();
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    expect(server.sockets).toHaveLength(2);
    return server.ops('subscribe').at(-1);
  }

  it('an unknown type: `unknown` once, no gap, no resync, and resume after it', async () => {
    const { server, client, gaps, unknown, prices, resynced } = await setup();
    server.event('prices', 1, 'price_update', price('A', '1'));
    server.event('prices', 2, 'new_type_v2', { anything: true });
    server.event('prices', 3, 'price_update', price('A', '3'));
    await flush();
    expect(prices).toEqual([1, 3]);
    expect(unknown).toEqual(['new_type_v2']);
    expect(gaps).toEqual([]);
    expect(resynced).toEqual([]);
    expect(await reconnect(server)).toMatchObject({ channel: 'prices', since: 3 });
    // A server that replays anyway (overlap): the unknown event is not reported again.
    server.event('prices', 2, 'new_type_v2', { anything: true });
    server.event('prices', 4, 'price_update', price('A', '4'));
    await flush();
    expect(unknown).toEqual(['new_type_v2']);
    expect(prices).toEqual([1, 3, 4]);
    expect(gaps).toEqual([]);
    await client.close();
  });

  it('a schema-invalid event: `invalid` once, no gap, and resume after it', async () => {
    const { server, client, gaps, invalid, prices } = await setup();
    server.event('prices', 1, 'price_update', price('A', '1'));
    server.event('prices', 2, 'price_update', { symbol: 'A', price: 2 });
    server.event('prices', 3, 'price_update', price('A', '3'));
    await flush();
    expect(prices).toEqual([1, 3]);
    expect(invalid.map((m) => m.reason)).toEqual(['schema']);
    expect(gaps).toEqual([]);
    expect(await reconnect(server)).toMatchObject({ since: 3 });
    server.event('prices', 2, 'price_update', { symbol: 'A', price: 2 });
    await flush();
    expect(invalid).toHaveLength(1);
    await client.close();
  });

  it('an event with a readable envelope but no type (malformed) consumes its seq', async () => {
    const { server, client, gaps, invalid, prices } = await setup();
    server.event('prices', 1, 'price_update', price('A', '1'));
    server.send({ op: 'event', channel: 'prices', seq: 2, data: {} });
    server.event('prices', 3, 'price_update', price('A', '3'));
    await flush();
    expect(prices).toEqual([1, 3]);
    expect(invalid).toMatchObject([{ reason: 'malformed', channel: 'prices' }]);
    expect(gaps).toEqual([]);
    expect(await reconnect(server)).toMatchObject({ since: 3 });
    await client.close();
  });

  it('an oversize event whose envelope is readable consumes its seq', async () => {
    const { server, client, gaps, invalid, prices } = await setup({ maxMessageBytes: 2_000 });
    server.event('prices', 1, 'price_update', price('A', '1'));
    server.send(
      JSON.stringify({
        op: 'event',
        channel: 'prices',
        seq: 2,
        type: 'price_update',
        data: { pad: 'x'.repeat(3_000) },
      }),
    );
    server.event('prices', 3, 'price_update', price('A', '3'));
    await flush();
    expect(prices).toEqual([1, 3]);
    expect(invalid).toMatchObject([{ reason: 'oversize', channel: 'prices', type: 'price_update' }]);
    expect(gaps).toEqual([]);
    expect(await reconnect(server)).toMatchObject({ since: 3 });
    await client.close();
  });

  it('an event with seq 0 is malformed (seq starts at 1)', async () => {
    const { server, client, invalid, prices } = await setup();
    server.event('prices', 0, 'price_update', price('A', '0'));
    server.event('prices', 1, 'price_update', price('A', '1'));
    await flush();
    expect(prices).toEqual([1]);
    expect(invalid.map((m) => m.reason)).toEqual(['malformed']);
    await client.close();
  });

  it('a real gap is still reported after rejected events', async () => {
    const { server, client, gaps } = await setup();
    server.event('prices', 1, 'price_update', price('A', '1'));
    server.event('prices', 2, 'new_type_v2', {});
    server.event('prices', 5, 'price_update', price('A', '5'));
    await flush();
    expect(gaps).toEqual([{ channel: 'prices', fromSeq: 3, toSeq: 4 }]);
    await client.close();
  });
});
