/** What a tab keeps of the events delivered to it: latest values, counts, seq cursors. */
import { describe, expect, it } from 'vitest';
import { createTabStore } from '../../src/share/tab-store.js';

const bySymbol = { price_update: (p: unknown) => (p as { symbol: string }).symbol };

describe('tab store', () => {
  it('drops a replay at or below the channel cursor, counts it, and lets everything newer through', () => {
    const store = createTabStore(true, {});
    const seen = [1, 2, 3, 2, 3, 4].filter((seq) => store.advance({ channel: 'prices', seq }));
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(store.counts().duplicates).toBe(2);
    // Each channel has its own cursor; events without a channel or seq are never replays.
    expect(store.advance({ channel: 'trades', seq: 1 })).toBe(true);
    expect(store.advance({ channel: 'prices' })).toBe(true);
    expect(store.advance({})).toBe(true);
    expect(store.cursors()).toEqual({ prices: 4, trades: 1 });
  });

  it('a forgotten channel starts fresh: lower seqs count again', () => {
    const store = createTabStore(true, {});
    store.advance({ channel: 'prices', seq: 10 });
    store.forget('prices');
    expect(store.cursors()).toEqual({});
    expect(store.advance({ channel: 'prices', seq: 1 })).toBe(true);
  });

  it('keeps no cursors on a protocol that is not resumable', () => {
    const store = createTabStore(false, {});
    expect([5, 5, 1].map((seq) => store.advance({ channel: 'prices', seq }))).toEqual([true, true, true]);
    expect(store.cursors()).toEqual({});
    expect(store.counts().duplicates).toBe(0);
  });

  it('latest per type and per key, and counts in all and per type', () => {
    const store = createTabStore(true, bySymbol);
    expect(store.store('price_update', { symbol: 'BTC', price: '1' })).toBe('BTC');
    expect(store.store('price_update', { symbol: 'SOL', price: '2' })).toBe('SOL');
    expect(store.store('price_update', { symbol: 'BTC', price: '3' })).toBe('BTC');
    expect(store.store('alert', { text: 'hi' })).toBeUndefined();
    expect(store.latest('price_update', 'BTC')).toEqual({ symbol: 'BTC', price: '3' });
    expect(store.latest('price_update', 'SOL')).toEqual({ symbol: 'SOL', price: '2' });
    expect(store.latest('price_update')).toEqual({ symbol: 'BTC', price: '3' });
    expect(store.latest('alert')).toEqual({ text: 'hi' });
    expect(store.latest('price_update', 'ETH')).toBeUndefined();
    expect(store.latest('trade')).toBeUndefined();
    expect(store.counts()).toEqual({ received: 4, duplicates: 0, byType: { price_update: 3, alert: 1 } });
  });

  it('a key function that throws costs the key, not the delivery', () => {
    const store = createTabStore(true, bySymbol);
    expect(store.store('price_update', null)).toBeUndefined();
    expect(store.latest('price_update')).toBeNull();
    expect(store.counts()).toMatchObject({ received: 1, byType: { price_update: 1 } });
  });
});
