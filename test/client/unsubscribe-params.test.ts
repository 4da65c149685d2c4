import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, native } from '../../src/index.js';
import { flush, scriptedServer } from '../helpers/scripted-server.js';

const url = 'ws://feed.test/ws';
const trade = (id: string, symbol: string) => ({ id, symbol, side: 'buy', price: '1.5', quantity: '2', ts: 1 });

/** NATIVE-1.1 §1–3: an unsubscribe names the subscription it ends, never a sibling. */
describe('unsubscribe names the subscription', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('encodeUnsubscribe carries the params of the subscription', () => {
    const frame = native().encodeUnsubscribe({ id: 7, channel: 'trades', params: { symbols: ['MSFT'] } });
    expect(JSON.parse(frame!)).toEqual({ op: 'unsubscribe', id: 7, channel: 'trades', params: { symbols: ['MSFT'] } });
  });

  async function twoVariants(version: '1.0' | '1.1') {
    const server = scriptedServer({ version });
    const client = createClient({ url, transport: server.transport });
    const gotA: string[] = [];
    const gotB: string[] = [];
    const all: string[] = [];
    const a = client.subscribe('trades', { symbols: ['AAPL'] });
    const b = client.subscribe('trades', { symbols: ['MSFT'] });
    a.on('trade', (t) => gotA.push(t.id));
    b.on('trade', (t) => gotB.push(t.id));
    client.on('trade', (t) => all.push(t.id));
    await flush();
    return { server, client, a, b, gotA, gotB, all };
  }

  it('routes a channel event to the handles whose params match; client.on sees all', async () => {
    const { server, client, gotA, gotB, all } = await twoVariants('1.1');
    server.publish('trades', 1, 'trade', trade('t1', 'AAPL'));
    server.publish('trades', 2, 'trade', trade('t2', 'MSFT'));
    server.publish('trades', 3, 'trade', trade('t3', 'AAPL'));
    await flush();
    expect(gotA).toEqual(['t1', 't3']);
    expect(gotB).toEqual(['t2']);
    expect(all).toEqual(['t1', 't2', 't3']);
    await client.close();
  });

  it('against a 1.1 server: the unsubscribe frame has the params, the sibling keeps receiving, nothing is re-sent', async () => {
    const { server, client, a, b, gotB } = await twoVariants('1.1');
    server.publish('trades', 1, 'trade', trade('t1', 'MSFT'));
    await flush();
    a.unsubscribe();
    await flush();
    expect(server.ops('unsubscribe')).toEqual([
      { op: 'unsubscribe', id: expect.any(Number), channel: 'trades', params: { symbols: ['AAPL'] } },
    ]);
    expect(server.ops('subscribe')).toHaveLength(2);
    expect(b.state).toBe('subscribed');
    expect(server.publish('trades', 2, 'trade', trade('t2', 'MSFT'))).toBe(true);
    await flush();
    expect(gotB).toEqual(['t1', 't2']);
    await client.close();
  });

  it('against a 1.0 server (no version in welcome): the remaining variants are subscribed again, with since', async () => {
    const { server, client, a, b, gotB } = await twoVariants('1.0');
    server.publish('trades', 1, 'trade', trade('t1', 'MSFT'));
    await flush();
    a.unsubscribe();
    await flush();
    // The 1.0 server ended both; the client re-sent the sibling's subscribe, resuming after seq 1.
    expect(server.ops('subscribe').at(-1)).toMatchObject({
      channel: 'trades',
      params: { symbols: ['MSFT'] },
      since: 1,
    });
    expect(server.subscribed('trades')).toBe(true);
    const states: string[] = [];
    b.onState((s) => states.push(s));
    server.publish('trades', 2, 'trade', trade('t2', 'MSFT'));
    await flush();
    expect(gotB).toEqual(['t1', 't2']);
    // The sibling never looked interrupted.
    expect(b.state).toBe('subscribed');
    expect(states).toEqual([]);
    await client.close();
  });

  it('unsubscribing the last variant of a channel re-sends nothing', async () => {
    const server = scriptedServer({ version: '1.0' });
    const client = createClient({ url, transport: server.transport });
    const a = client.subscribe('trades', { symbols: ['AAPL'] });
    client.subscribe('prices');
    await flush();
    a.unsubscribe();
    await flush();
    expect(server.ops('subscribe').map((f) => f.channel)).toEqual(['trades', 'prices']);
    await client.close();
  });

  it('portfolio routes by account; other params are opaque (no filtering)', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    const got: string[] = [];
    const anyAlert: string[] = [];
    client.subscribe('portfolio', { account: 'acc-1' }).on('portfolio_value', (p) => got.push(p.account));
    client.subscribe('alerts', { severity: 'critical' }).on('alert', (a) => anyAlert.push(a.id));
    await flush();
    const value = (account: string) => ({ account, total_usd: '1.0', change_24h: '0', positions: 1, ts: 1 });
    server.publish('portfolio', 1, 'portfolio_value', value('acc-1'));
    server.publish('portfolio', 2, 'portfolio_value', value('acc-2'));
    server.publish('alerts', 1, 'alert', { id: 'a1', severity: 'info', message: 'm', ts: 1 });
    await flush();
    expect(got).toEqual(['acc-1']);
    expect(anyAlert).toEqual(['a1']);
    await client.close();
  });
});
