/**
 * A Node bot: watches prices and prints an alert when one crosses a threshold,
 * like the benchmark triggers of a crypto portfolio backend. Same typed API as in
 * the browser; Ctrl-C closes cleanly.
 *
 *   npx dashwire serve            # terminal 1 (or any native-protocol server)
 *   npm run example:bot           # terminal 2
 */
import { createClient, native } from 'dashwire';

const url = process.argv[2] ?? 'ws://127.0.0.1:8080/ws';
/** Alert when a symbol moves this far (in %) from the first price seen. */
const thresholdPct = Number(process.env.THRESHOLD_PCT ?? '0.5');

// Give up after a few attempts with a hint, rather than waiting silently for a server that is
// not there (the usual first-run mistake: no `npx dashwire serve` in another terminal).
const client = createClient({ url, protocol: native(), reconnect: { maxAttempts: 5 } });
const reference = new Map<string, number>();
const armed = new Map<string, 'up' | 'down' | undefined>();

let opened = false;
client.on('state', ({ current, error }) => {
  console.log(`[state] ${current}${error ? ` (${error.code}: ${error.message})` : ''}`);
  if (current === 'open') opened = true;
  if (current === 'closed' && error) {
    if (!opened)
      console.error(
        `[hint] no feed at ${url}. Start one first: npx dashwire serve   (or pass a URL: npm run example:bot -- ws://host:port/ws)`,
      );
    process.exitCode = 2;
  }
});
client.on('invalid', (m) => console.warn(`[invalid] ${m.reason}: ${m.detail}`));

const prices = client.subscribe('prices');
prices.on('price_update', (tick) => {
  // Prices arrive as decimal strings; convert only for the comparison, never for display.
  const price = Number(tick.price);
  const start = reference.get(tick.symbol);
  if (start === undefined) {
    reference.set(tick.symbol, price);
    console.log(`[watch] ${tick.symbol} from ${tick.price}`);
    return;
  }
  const movePct = ((price - start) / start) * 100;
  const side = movePct >= thresholdPct ? 'up' : movePct <= -thresholdPct ? 'down' : undefined;
  if (side && armed.get(tick.symbol) !== side) {
    console.log(
      `[ALERT] ${tick.symbol} ${side === 'up' ? '▲' : '▼'} ${movePct.toFixed(2)}% at ${tick.price} (from ${start})`,
    );
  }
  armed.set(tick.symbol, side);
});

client.subscribe('alerts').on('alert', (alert) => {
  if (alert.severity !== 'info') console.log(`[server ${alert.severity}] ${alert.message}`);
});

const stop = async (): Promise<void> => {
  const { received, invalid, reconnects } = client.stats();
  await client.close();
  console.log(`[bye] ${received} events, ${invalid} invalid, ${reconnects} reconnects`);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

const seconds = Number(process.env.RUN_SECONDS ?? 'NaN');
if (Number.isFinite(seconds)) setTimeout(() => void stop(), seconds * 1000);
