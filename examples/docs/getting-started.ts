// Samples of docs/getting-started.md. `npm run typecheck` compiles this file.
import { createClient, isDashwireError } from 'dashwire';

export async function gettingStarted(): Promise<void> {
  // native() with its default dashboard catalogue is the default protocol.
  const client = createClient({ url: 'ws://localhost:8080/ws' });

  client.on('state', ({ previous, current, error }) => {
    console.log(`${previous} → ${current}`, error ? `${error.code}: ${error.message}` : '');
  });
  client.on('error', (error) => console.warn(error.code, error.message));

  // Payload types come from the zod schemas: tick.price is a string ("64000.50").
  client.on('price_update', (tick, meta) => {
    console.log(meta.channel, meta.seq, tick.symbol, tick.price);
  });

  // @ts-expect-error — an event name that is not in the catalogue does not compile.
  client.on('price_updated', () => {});

  const prices = client.subscribe('prices');
  prices.on('price_update', (tick) => console.log('prices channel:', tick.symbol));
  try {
    await prices.ready; // the server acknowledged the subscription
  } catch (error) {
    if (isDashwireError(error)) console.error('refused:', error.code);
  }

  const btc = client.latest('price_update', 'BTC'); // last tick for BTC, or undefined
  console.log(btc?.price);
  const { received, invalid, reconnects, rttMs } = client.stats();
  console.log({ received, invalid, reconnects, rttMs });

  await client.close(); // sockets closed, timers cleared, handlers removed
}
