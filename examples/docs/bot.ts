// Sample of docs/cli.md: a Node bot on the typed API.
import { createClient } from 'dashwire';

export async function alertBot(webhook: string, signal: AbortSignal): Promise<number> {
  const client = createClient({ url: 'ws://127.0.0.1:8080/ws', reconnect: { maxAttempts: 10 } });
  client.on('state', ({ current, error }) => console.error(`[feed] ${current}${error ? ` (${error.code})` : ''}`));
  client.subscribe('alerts').on('alert', (alert) => {
    if (alert.severity !== 'critical') return;
    // Not awaited, so the next alert is not held up; a failure is logged here.
    fetch(webhook, { method: 'POST', body: JSON.stringify({ text: `${alert.symbol ?? ''} ${alert.message}` }) }).catch(
      (error: unknown) => console.error('[webhook]', error),
    );
  });
  // Stay up until Ctrl-C or until the client gives up (state `closed` with an error).
  await new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => resolve());
    client.on('state', ({ current }) => current === 'closed' && resolve());
  });
  const gaveUp = client.state === 'closed' ? client.error : undefined;
  await client.close();
  return gaveUp ? 2 : 0;
}
