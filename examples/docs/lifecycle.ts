// Samples of docs/lifecycle.md.
import { backoffDelay, createClient, reconnectDefaults, resolveReconnect, type ConnectionState } from 'dashwire';

export function lifecycle(): void {
  const client = createClient({
    urls: ['wss://eu.feed.example.com/ws', 'wss://us.feed.example.com/ws'], // tried in turn
    reconnect: { initialDelayMs: 500, factor: 2, maxDelayMs: 30_000, maxAttempts: 20 },
    heartbeat: { intervalMs: 15_000, timeoutMs: 10_000 },
  });

  const history: ConnectionState[] = [];
  client.on('state', (change) => {
    history.push(change.current);
    if (change.current === 'reconnecting') console.warn('lost:', change.error?.code); // connection_lost, heartbeat_timeout…
    if (change.current === 'closed' && change.error) console.error('stopped:', change.error.code); // max_attempts, fatal_close…
  });

  // Backoff is a pure function: the upper bound of each wait with the defaults.
  const policy = resolveReconnect();
  const bounds = [0, 1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, policy, 1));
  console.log(reconnectDefaults, bounds); // 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000
}
