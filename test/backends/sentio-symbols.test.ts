import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Client } from '../../src/index.js';
import { presets } from '../../src/backends/presets.js';
import { createMemoryServer, type MemoryServer } from '../../src/testing/memory.js';
import { waitFor } from '../helpers/wait.js';

// Both sides of the Sentio backend read `symbols` the same way: an array or a comma list.
describe('sentio: a comma-list symbols filter, preset and dialect together', () => {
  let server: MemoryServer | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  it('subscribes with the list and receives only the listed symbols', async () => {
    server = createMemoryServer({ protocol: 'sentio' });
    const created = createClient({ url: 'memory://dashwire', transport: server.transport, protocol: presets.sentio() });
    client = created;
    const got: string[][] = [];
    created
      .subscribe('trade-signals', { symbols: 'AAPL,MSFT' })
      .on('trade_signals', (m) => got.push(m.data.map((s) => s.symbol)));
    const subscribe = await waitFor(() =>
      server!.received.find((f) => (f.json as { action?: string } | undefined)?.action === 'subscribe'),
    );
    expect(subscribe.json).toEqual({ action: 'subscribe', symbols: ['AAPL', 'MSFT'] });
    await waitFor(() => server!.listClients().some((c) => c.subscriptions.has('trade-signals')));
    const signal = (symbol: string) => ({ symbol, signal: 'buy', confidence: 0.9, timestamp: '2024-10-05T10:30:00' });
    server.publish('trade-signals', 'trade_signals', {
      data: [signal('AAPL'), signal('GOOGL'), signal('MSFT')],
      timestamp: '2024-10-05T10:30:00',
    });
    server.publish('trade-signals', 'trade_signals', { data: [signal('GOOGL')], timestamp: '2024-10-05T10:30:01' });
    server.publish('trade-signals', 'trade_signals', { data: [signal('MSFT')], timestamp: '2024-10-05T10:30:02' });
    await waitFor(() => got.length >= 2);
    expect(got).toEqual([['AAPL', 'MSFT'], ['MSFT']]);
  });
});
