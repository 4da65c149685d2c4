import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

async function connected() {
  const server = scriptedServer();
  const client = createClient({ url: 'memory://x/ws', transport: server.transport });
  client.subscribe('prices');
  client.subscribe('trades');
  await flush();
  return { server, client };
}

describe('client.onLatest: listeners of the latest store, per key', () => {
  it('an event wakes the listeners of its own key and of its type, no others; latest() is already updated', async () => {
    const { server, client } = await connected();
    const woke: string[] = [];
    const listen = (type: 'price_update' | 'trade', key: string | undefined) =>
      client.onLatest(type, key, () =>
        woke.push(`${type}/${key ?? '*'}=${JSON.stringify(client.latest(type, key)?.price)}`),
      );
    listen('price_update', 'SOL');
    listen('price_update', 'ETH');
    listen('price_update', undefined);
    listen('trade', 'SOL');
    server.event('prices', 1, 'price_update', price('SOL', '1'));
    server.event('prices', 2, 'price_update', price('BTC', '2'));
    server.event('prices', 3, 'price_update', price('ETH', '3'));
    await flush();
    expect(woke).toEqual([
      'price_update/*="1"',
      'price_update/SOL="1"',
      'price_update/*="2"',
      'price_update/*="3"',
      'price_update/ETH="3"',
    ]);
    await client.close();
  });

  it('the returned function stops only that listener; a throwing listener is reported and the others still run', async () => {
    const { server, client } = await connected();
    const woke: string[] = [];
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    const stopA = client.onLatest('price_update', 'SOL', () => woke.push('a'));
    client.onLatest('price_update', 'SOL', () => {
      throw new Error('boom');
    });
    client.onLatest('price_update', 'SOL', () => woke.push('c'));
    server.event('prices', 1, 'price_update', price('SOL', '1'));
    await flush();
    stopA();
    stopA();
    server.event('prices', 2, 'price_update', price('SOL', '2'));
    await flush();
    expect(woke).toEqual(['a', 'c', 'c']);
    expect(errors).toEqual(['handler_threw', 'handler_threw']);
    expect(client.stats().handlerErrors).toBe(2);
    await client.close();
  });

  it('an invalid event changes nothing and wakes nobody', async () => {
    const { server, client } = await connected();
    let woke = 0;
    client.onLatest('price_update', 'SOL', () => woke++);
    server.event('prices', 1, 'price_update', { ...price('SOL', '1'), price: 'one' });
    await flush();
    expect(woke).toBe(0);
    expect(client.latest('price_update', 'SOL')).toBeUndefined();
    await client.close();
  });
});
