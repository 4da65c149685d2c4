import { afterEach, describe, expect, it } from 'vitest';
import { presets } from '../../src/backends/presets.js';
import { sentioSchemas } from '../../src/backends/sentio/wire.js';
import { waitFor } from '../helpers/wait.js';
import { pair } from './conformance.js';

const subscribeAll = (p: Awaited<ReturnType<typeof pair>>) => {
  p.client.subscribe('trade-signals', { symbols: ['AAPL', 'GOOGL'], user_id: 'user_001' });
  p.client.subscribe('earnings', { user_id: 'user_001' });
  p.client.subscribe('notifications', { user_id: 'user_001' });
  p.client.subscribe('admin', { admin_token: 'adm' });
  p.client.subscribe('market-data', { symbols: ['AAPL'] });
};

describe('conformance: sentio over the mock server', () => {
  let p: Awaited<ReturnType<typeof pair>> | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  it('one socket per endpoint, seed-shaped subscribe frames, every message type valid', async () => {
    p = await pair('sentio', presets.sentio(), (s) => s.httpUrl.replace('http', 'ws'));
    subscribeAll(p);
    await waitFor(() => p!.server.listClients().filter((c) => c.subscriptions.size > 0).length === 5);
    expect(
      p.server
        .listClients()
        .map((c) => c.path)
        .sort(),
    ).toEqual(['/ws/admin', '/ws/earnings', '/ws/market-data', '/ws/notifications', '/ws/trade-signals']);
    expect(p.frames()).toContainEqual({ action: 'subscribe', symbols: ['AAPL', 'GOOGL'], user_id: 'user_001' });
    for (const f of p.frames())
      expect(
        sentioSchemas.client.subscribe.safeParse(f).success || sentioSchemas.client.ping.safeParse(f).success,
      ).toBe(true);
    p.server.setFeed({ rate: 300 });
    await p.everyType();
    const signals = p.seen.get('trade_signals') as { data: { symbol: string }[] };
    expect(signals.data.every((s) => ['AAPL', 'GOOGL'].includes(s.symbol))).toBe(true);
  });

  it('ping → pong on each socket; unsubscribe frame; error frame for a bad action', async () => {
    p = await pair('sentio', presets.sentio(), (s) => s.httpUrl.replace('http', 'ws'));
    const errors: string[] = [];
    p.client.on('error', (e) => errors.push(e.message));
    const sub = p.client.subscribe('trade-signals', { symbols: ['AAPL'] });
    p.client.subscribe('trade-signals', { symbols: ['MSFT'] });
    await waitFor(() => p!.frames().some((f) => JSON.stringify(f) === '{"action":"ping"}'));
    await waitFor(() => p!.client.stats().rttMs !== undefined);
    sub.unsubscribe();
    await waitFor(() => p!.frames().some((f) => JSON.stringify(f) === '{"action":"unsubscribe","symbols":["AAPL"]}'));
    await waitFor(
      () =>
        (p!.server.listClients()[0]?.subscriptions.get('trade-signals')?.symbols as string[] | undefined)?.join() ===
        'MSFT',
    );
    p.client.send({ action: 'dance' }, { channel: 'trade-signals' });
    await waitFor(() => errors.length > 0);
    expect(errors[0]).toContain('Unknown action');
  });

  it('reconnects every endpoint after faults.dropAll() and resubscribes', async () => {
    p = await pair('sentio', presets.sentio(), (s) => s.httpUrl.replace('http', 'ws'));
    subscribeAll(p);
    await waitFor(() => p!.server.listClients().filter((c) => c.subscriptions.size > 0).length === 5);
    await p.reconnects();
    await waitFor(() => p!.server.listClients().filter((c) => c.subscriptions.size > 0).length === 5);
  });

  it('REST snapshot endpoints answer in the shape the polling spec decodes', async () => {
    p = await pair('sentio', presets.sentio(), (s) => s.httpUrl.replace('http', 'ws'));
    subscribeAll(p);
    p.server.setFeed({ rate: 300 });
    await p.everyType();
    const body = (await (await fetch(`${p.server.httpUrl}/api/trade-signals`)).json()) as unknown[];
    expect(body).toHaveLength(1);
    expect(sentioSchemas.server.trade_signals.safeParse(body[0]).success).toBe(true);
    const notes = (await (await fetch(`${p.server.httpUrl}/api/notifications?user_id=user_001`)).json()) as unknown[];
    for (const n of notes) expect(sentioSchemas.server.notification.safeParse(n).success).toBe(true);
  });
});
