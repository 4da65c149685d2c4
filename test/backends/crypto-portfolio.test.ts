import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { createClient, type ConnectionState, type DashwireError, type InvalidMessage } from '../../src/index.js';
import { presets } from '../../src/backends/presets.js';
import { cryptoPortfolioSchemas } from '../../src/backends/crypto-portfolio/wire.js';
import seed from '../fixtures/seeds/000-crypto-portfolio.json' with { type: 'json' };
import { flush, presetServer } from './harness.js';

const url = 'ws://localhost:8080/ws/dashboard';
const { _source, ...examples } = seed;
const types = Object.keys(examples) as (keyof typeof examples)[];
const withoutType = ({ type: _t, ...rest }: { type: string }) => rest;

describe('presets.cryptoPortfolio (seed 000)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('the seed examples are valid server frames', () => {
    for (const type of types)
      expect(cryptoPortfolioSchemas.server[type].safeParse(examples[type]).success, type).toBe(true);
  });

  it('delivers every seed message type, typed, as the flat frame without `type`; decimals stay strings', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.cryptoPortfolio() });
    const got: Record<string, unknown> = {};
    for (const type of types) client.on(type, (m: unknown) => (got[type] = m));
    client.on('price_update', (m) => {
      expectTypeOf(m.price).toEqualTypeOf<string>();
      expectTypeOf(m.timestamp).toEqualTypeOf<number>();
    });
    client.on('trade_executed', (m) => expectTypeOf(m.amount).toEqualTypeOf<string>());
    await flush();
    for (const type of types) server.send(examples[type]);
    await flush();
    for (const type of types) expect(got[type]).toEqual(withoutType(examples[type]));
    expect(client.latest('price_update', 'SOL')?.price).toBe('100.50');
    expect(client.latest('conversion_completed', 'USDC/SOL')?.to_amount).toBe('10.5');
    expect(client.stats()).toMatchObject({ received: 6, invalid: 0 });
    await client.close();
  });

  it('a wrong field type or a missing field is `invalid` and not delivered', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.cryptoPortfolio() });
    const invalid: InvalidMessage[] = [];
    const prices: string[] = [];
    client.on('invalid', (m) => invalid.push(m));
    client.on('price_update', (m) => prices.push(m.price));
    await flush();
    server.send({ ...examples.price_update, price: 100.5 });
    const { blockchain: _b, ...missing } = examples.price_update;
    server.send(missing);
    server.send({ ...examples.price_update, timestamp: '1234567890' });
    server.send(examples.price_update);
    await flush();
    expect(prices).toEqual(['100.50']);
    expect(invalid.map((m) => [m.reason, m.issues?.[0]?.path])).toEqual([
      ['schema', ['price']],
      ['schema', ['blockchain']],
      ['schema', ['timestamp']],
    ]);
    await client.close();
  });

  it('sends nothing on subscribe/unsubscribe; channels filter by type and asset on the client', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.cryptoPortfolio() });
    const sol: string[] = [];
    const trades: string[] = [];
    const sub = client.subscribe('prices', { assets: ['SOL'] });
    sub.on('price_update', (m) => sol.push(m.asset));
    client.subscribe('trades').on('trade_executed', (m) => trades.push(m.trade_id));
    await flush();
    expect(sub.state).toBe('subscribed');
    server.send(examples.price_update);
    server.send({ ...examples.price_update, asset: 'BTC' });
    server.send(examples.trade_executed);
    await flush();
    sub.unsubscribe();
    await flush();
    expect(sol).toEqual(['SOL']);
    expect(trades).toEqual(['uuid']);
    expect(server.received).toEqual([]);
    await client.close();
  });

  it('server error frames become `error`, never a typed event', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.cryptoPortfolio() });
    const errors: DashwireError[] = [];
    client.on('error', (e) => errors.push(e));
    await flush();
    server.send({ type: 'error', message: 'lagged' });
    await flush();
    expect(errors.map((e) => [e.code, e.message])).toEqual([['server_error', 'lagged']]);
    expect(client.stats().unknown).toBe(0);
    await client.close();
  });

  it('idle watchdog: two silent minutes drop the link; it reconnects and the subscription keeps working', async () => {
    const server = presetServer();
    const client = createClient({
      url,
      transport: server.transport,
      protocol: presets.cryptoPortfolio(),
      random: () => 0,
    });
    const seen: ConnectionState[] = [];
    client.on('state', (c) => seen.push(c.current));
    const got: string[] = [];
    client.subscribe('prices').on('price_update', (m) => got.push(m.price));
    await flush();
    await vi.advanceTimersByTimeAsync(100_000);
    server.send(examples.price_update); // a frame resets the watchdog
    await vi.advanceTimersByTimeAsync(100_000);
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20_001);
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    await flush();
    expect(seen).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(server.sockets).toHaveLength(2);
    expect(server.received).toEqual([]); // no ping: the server has none
    server.send({ ...examples.price_update, price: '101.00' });
    await flush();
    expect(got).toEqual(['100.50', '101.00']);
    await client.close();
  });

  it('reconnects after a drop and keeps delivering to existing subscriptions', async () => {
    const server = presetServer();
    const client = createClient({
      url,
      transport: server.transport,
      protocol: presets.cryptoPortfolio(),
      random: () => 0,
    });
    const got: string[] = [];
    client.subscribe('all').on('portfolio_update', (m) => got.push(m.total_value_usd ?? 'missing'));
    await flush();
    server.dropAll();
    await flush();
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    expect(client.state).toBe('open');
    server.send(examples.portfolio_update);
    await flush();
    expect(got).toEqual(['50000.00']);
    await client.close();
  });
});
