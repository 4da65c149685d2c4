// Samples of docs/fallback.md.
import { createClient, polling } from 'dashwire';

export function withFallback(): void {
  const client = createClient({
    url: 'wss://feed.example.com/ws',
    fallback: polling({
      afterFailures: 3, // consecutive failed WebSocket attempts
      url: 'https://feed.example.com',
      intervalMs: 2_000,
      probe: { initialDelayMs: 5_000, maxDelayMs: 120_000 }, // background WebSocket probe
      remember: { ttlMs: 10 * 60_000 }, // start the next page load on polling for 10 minutes
      headers: { authorization: 'Bearer …' },
    }),
  });
  client.on('state', ({ current }) => {
    if (current === 'polling') console.info('on REST polling:', client.stats().transport);
  });
  // Or switch by hand, e.g. from a "having trouble?" button:
  document.querySelector('#use-polling')?.addEventListener('click', () => client.usePolling());
}
