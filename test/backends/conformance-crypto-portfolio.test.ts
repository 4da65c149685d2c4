import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { presets } from '../../src/backends/presets.js';
import { waitFor } from '../helpers/wait.js';
import { pair } from './conformance.js';

describe('conformance: cryptoPortfolio over the mock server', () => {
  let p: Awaited<ReturnType<typeof pair>> | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  it('serves /ws/dashboard; every message type arrives valid; nothing is sent by the client', async () => {
    p = await pair('cryptoPortfolio', presets.cryptoPortfolio());
    expect(p.server.url).toMatch(/\/ws\/dashboard$/);
    p.client.subscribe('prices', { assets: ['SOL'] });
    p.server.setFeed({ rate: 300 });
    await p.everyType();
    const price = p.seen.get('price_update') as { price: unknown; timestamp: unknown };
    expect(typeof price.price).toBe('string');
    expect(typeof price.timestamp).toBe('number');
    expect(p.frames()).toEqual([]);
  });

  it('typed payloads through a real client', async () => {
    p = await pair('cryptoPortfolio', presets.cryptoPortfolio());
    await waitFor(() => p!.client.state === 'open');
    const prices: string[] = [];
    const typed = p.client as unknown as import('../../src/index.js').Client<
      import('../../src/backends/presets.js').CryptoPortfolioEvents
    >;
    typed.on('price_update', (m) => {
      expectTypeOf(m.price).toEqualTypeOf<string>();
      prices.push(m.price);
    });
    p.server.publish('prices', 'price_update', {
      asset: 'SOL',
      blockchain: 'Solana',
      price: '100.50',
      change_24h: '5.2',
      timestamp: 1234567890,
    });
    await waitFor(() => prices.length === 1);
    expect(prices).toEqual(['100.50']);
  });

  it('reconnects after faults.dropAll() and events flow again', async () => {
    p = await pair('cryptoPortfolio', presets.cryptoPortfolio());
    await p.reconnects();
    p.seen.clear();
    p.server.setFeed({ rate: 200 });
    await waitFor(() => p!.seen.size > 0);
  });
});
