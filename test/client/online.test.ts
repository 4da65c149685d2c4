// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/index.js';
import { flush, scriptedServer } from '../helpers/scripted-server.js';

describe('the browser online event', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retries at once instead of waiting out the backoff', async () => {
    const server = scriptedServer();
    server.refuse(true);
    const client = createClient({ url: 'ws://feed.test/ws', transport: server.transport, random: () => 1 });
    // Four refusals: the next attempt waits 8 s (500 · 2⁴ with random = 1).
    await vi.advanceTimersByTimeAsync(500 + 1_000 + 2_000 + 4_000);
    expect(client.state).toBe('reconnecting');
    server.refuse(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.state).toBe('reconnecting'); // still waiting out the backoff
    window.dispatchEvent(new Event('online'));
    await flush();
    expect(client.state).toBe('open');
    await client.close();
  });
});
