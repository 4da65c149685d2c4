// Samples of docs/subscriptions.md.
import { createClient } from 'dashwire';

export async function subscriptions(fetchSnapshot: (channel: string) => Promise<void>): Promise<void> {
  const client = createClient({
    url: 'ws://localhost:8080/ws',
    unsubscribeDelayMs: 250, // keep the wire subscription briefly after the last handle goes
    maxQueue: 100,
    // Events the server could not replay: refetch, then the held live events follow in order.
    resync: (gap) => fetchSnapshot(gap.channel),
  });

  // Two handles, one wire subscription: same channel, same params (key order does not matter).
  const a = client.subscribe('trades', { symbols: ['AAPL'], depth: 1 });
  const b = client.subscribe('trades', { depth: 1, symbols: ['AAPL'] });
  a.on('trade', (trade) => console.log('a', trade.side, trade.quantity, '@', trade.price));
  b.onState((state, error) => console.log('b is', state, error?.code ?? ''));
  await Promise.all([a.ready, b.ready]);

  client.on('gap', ({ channel, fromSeq, toSeq }) => console.warn(`${channel}: missed ${fromSeq}…${toSeq}`));

  a.unsubscribe(); // b still holds the subscription
  b.unsubscribe(); // last handle: the unsubscribe frame goes out after unsubscribeDelayMs

  // Application messages: queued while disconnected, false when the queue is full.
  if (!client.send({ op: 'note', text: 'hello' })) console.warn('queue full or client closed');
  await client.close();
}
