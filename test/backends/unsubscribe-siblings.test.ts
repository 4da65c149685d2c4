import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Client } from '../../src/index.js';
import { presets } from '../../src/backends/presets.js';
import { createMemoryServer, type MemoryServer } from '../../src/testing/memory.js';
import { waitFor } from '../helpers/wait.js';

// Servers that keep one subscription per channel (channel feed) or one symbol set per feed
// connection (Sentio) end a sibling's interest when one params variant unsubscribes: the
// client must subscribe the siblings again, or they go silent while still `subscribed`.
describe('unsubscribing one params variant never silences a sibling (preset servers)', () => {
  let server: MemoryServer | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  const actions = (s: MemoryServer, key: string): string[] =>
    s.received
      .map((f) => (f.json as Record<string, unknown> | undefined)?.[key])
      .filter((a): a is string => typeof a === 'string');

  it('channel feed: the sibling is subscribed again and keeps receiving', async () => {
    server = createMemoryServer({ protocol: 'channelFeed' });
    const created = createClient({
      url: 'memory://dashwire',
      transport: server.transport,
      protocol: presets.channelFeed(),
    });
    client = created;
    const a = created.subscribe('trades', { view: 'a' });
    const b = created.subscribe('trades', { view: 'b' });
    const got: unknown[] = [];
    b.on('trades_update', (m) => got.push(m));
    await Promise.all([a.ready, b.ready]);
    a.unsubscribe();
    await waitFor(() => actions(server!, 'type').includes('unsubscribe'));
    await waitFor(
      () => actions(server!, 'type').lastIndexOf('subscribe') > actions(server!, 'type').indexOf('unsubscribe'),
    );
    await waitFor(() => server!.listClients().some((c) => c.subscriptions.has('trades')));
    server.publish('trades', 'trades_update', { id: 't1' });
    await waitFor(() => got.length === 1);
    expect(b.state).toBe('subscribed');
  });

  it('Sentio: the sibling keeps the symbols the unsubscribe removed', async () => {
    server = createMemoryServer({ protocol: 'sentio' });
    const created = createClient({ url: 'memory://dashwire', transport: server.transport, protocol: presets.sentio() });
    client = created;
    const a = created.subscribe('trade-signals', { symbols: ['AAPL'] });
    const b = created.subscribe('trade-signals', { symbols: ['AAPL', 'MSFT'] });
    const got: string[][] = [];
    b.on('trade_signals', (m) => got.push(m.data.map((s) => s.symbol)));
    await Promise.all([a.ready, b.ready]);
    a.unsubscribe();
    await waitFor(() => actions(server!, 'action').includes('unsubscribe'));
    await waitFor(
      () => actions(server!, 'action').lastIndexOf('subscribe') > actions(server!, 'action').indexOf('unsubscribe'),
    );
    const signal = (symbol: string) => ({ symbol, signal: 'buy', confidence: 0.9, timestamp: '2024-10-05T10:30:00' });
    await waitFor(() => {
      server!.publish('trade-signals', 'trade_signals', { data: [signal('AAPL')], timestamp: '2024-10-05T10:30:00' });
      return got.length > 0;
    });
    expect(got[0]).toEqual(['AAPL']);
  });
});
