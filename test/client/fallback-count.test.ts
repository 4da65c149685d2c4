import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, polling, type FetchLike } from '../../src/index.js';
import { scriptedServer } from '../helpers/scripted-server.js';

describe('afterFailures counts each failed attempt once', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('falls back after exactly N connections that open but stay silent (no frame within the heartbeat)', async () => {
    const server = scriptedServer({ welcome: false, answer: false });
    const fetch: FetchLike = async () => ({
      status: 200,
      headers: { get: () => null },
      text: async () => '{"events":[],"next":0}',
    });
    const client = createClient({
      url: 'ws://feed.test/ws',
      transport: server.transport,
      random: () => 0,
      heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 },
      fallback: polling({ afterFailures: 3, fetch, probe: { initialDelayMs: 600_000 } }),
    });
    client.subscribe('prices');
    // Each silent connection dies after 2 s (interval + timeout), then a 100 ms backoff.
    await vi.advanceTimersByTimeAsync(2_000 * 2 + 500);
    expect(server.sockets).toHaveLength(3);
    expect(client.state).not.toBe('polling');
    await vi.advanceTimersByTimeAsync(2_500);
    expect(client.state).toBe('polling');
    expect(server.sockets).toHaveLength(3);
    await client.close();
  });
});
