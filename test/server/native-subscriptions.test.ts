import { describe, expect, it } from 'vitest';
import { createSubscriptionTable } from '../../src/server/native-subscriptions.js';
import { fakeClient } from './fakes.js';

describe('native subscription table', () => {
  it('holds several subscriptions of a channel, told apart by params value', () => {
    const table = createSubscriptionTable();
    const client = fakeClient();
    table.add(client, 'prices', { symbols: ['BTC'], depth: 1 });
    table.add(client, 'prices', { symbols: ['ETH'] });
    // Same params in another key order: the same subscription, now the most recent.
    table.add(client, 'prices', { depth: 1, symbols: ['BTC'] });
    expect(client.subscriptions.get('prices')).toEqual({ depth: 1, symbols: ['BTC'] });
    table.remove(client, 'prices', { symbols: ['BTC'], depth: 1 });
    expect(table.has(client, 'prices')).toBe(true);
    expect(client.subscriptions.get('prices')).toEqual({ symbols: ['ETH'] });
    table.remove(client, 'prices', { symbols: ['ETH'] });
    expect(table.has(client, 'prices')).toBe(false);
    expect(client.subscriptions.has('prices')).toBe(false);
  });

  it('ends every subscription of the channel on a remove without params (a 1.0 client)', () => {
    const table = createSubscriptionTable();
    const client = fakeClient();
    table.add(client, 'prices', { symbols: ['BTC'] });
    table.add(client, 'prices', { symbols: ['ETH'] });
    table.add(client, 'trades', {});
    table.remove(client, 'prices', undefined);
    expect(table.has(client, 'prices')).toBe(false);
    expect(table.has(client, 'trades')).toBe(true);
    expect([...client.subscriptions.keys()]).toEqual(['trades']);
  });

  it('keeps connections apart, and forgets one that is gone', () => {
    const table = createSubscriptionTable();
    const [a, b] = [fakeClient(), fakeClient()];
    table.add(a, 'prices', {});
    table.remove(b, 'prices', {});
    expect(table.has(a, 'prices')).toBe(true);
    expect(table.has(b, 'prices')).toBe(false);
    table.forget(a);
    expect(table.has(a, 'prices')).toBe(false);
  });
});
