import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, native, type CloseInfo, type Protocol } from '../../src/index.js';
import { retryAfterFromReason } from '../../src/client/backoff.js';
import type { DashboardEvents } from '../../src/index.js';
import { flush, scriptedServer } from '../helpers/scripted-server.js';

/**
 * Server-directed backoff: an error frame's `retryAfterMs` and a close reason
 * `retry-after=<seconds>` (or a protocol's own `retryAfterFromClose` hook) are honoured:
 * no reconnect before the server's delay, and one soon after it.
 */

const url = 'ws://feed.test/ws';
// random 0: the jittered backoff adds exactly minDelayMs (100 ms by default) after the server's delay.
const options = { url, random: () => 0, heartbeat: false } as const;

describe('server-directed backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('an error frame with retryAfterMs, then a close: no reconnect before it', async () => {
    const server = scriptedServer();
    const client = createClient({ ...options, transport: server.transport });
    await flush();
    server.send({ op: 'error', code: 'overloaded', message: 'shedding load', retryAfterMs: 30_000 });
    server.current!.close(1013, 'try again later');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.sockets).toHaveLength(1);
    expect(client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(server.sockets).toHaveLength(2);
    expect(client.state).toBe('open');
    await client.close();
  });

  it('a close reason "retry-after=<seconds>" is honoured', async () => {
    const server = scriptedServer();
    const client = createClient({ ...options, transport: server.transport });
    await flush();
    server.current!.close(1013, 'overloaded; retry-after=20');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.sockets).toHaveLength(2);
    await client.close();
  });

  it('without a retry-after, the ordinary backoff applies (the parser does not invent delays)', async () => {
    const server = scriptedServer();
    const client = createClient({ ...options, transport: server.transport });
    await flush();
    server.current!.close(1013, 'retry later, maybe 20 seconds');
    await vi.advanceTimersByTimeAsync(100);
    expect(server.sockets).toHaveLength(2);
    await client.close();
  });

  it("a protocol's retryAfterFromClose hook replaces the default parser", async () => {
    const server = scriptedServer();
    const seen: CloseInfo[] = [];
    const protocol: Protocol<DashboardEvents> = {
      ...native(),
      retryAfterFromClose: (info) => {
        seen.push(info);
        return info.code === 4029 ? 7_000 : undefined;
      },
    };
    const client = createClient({ ...options, protocol, transport: server.transport });
    await flush();
    server.current!.close(4029, 'rate limited');
    await vi.advanceTimersByTimeAsync(7_000);
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.sockets).toHaveLength(2);
    // The hook owns the format: "retry-after=60" in the reason means nothing to it.
    server.current!.close(1013, 'retry-after=60');
    await vi.advanceTimersByTimeAsync(200);
    expect(server.sockets).toHaveLength(3);
    expect(seen.map((i) => i.code)).toEqual([4029, 1013]);
    await client.close();
  });

  it('an absurd retry-after (beyond what setTimeout can hold) waits, instead of firing at once', async () => {
    const server = scriptedServer();
    const client = createClient({ ...options, transport: server.transport });
    await flush();
    server.current!.close(1013, 'retry-after=99999999999');
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(server.sockets).toHaveLength(1);
    expect(client.state).toBe('reconnecting');
    await client.close();
  });

  it('parses the documented close-reason forms', () => {
    expect(retryAfterFromReason('retry-after=5')).toBe(5_000);
    expect(retryAfterFromReason('Overloaded; Retry-After = 1.5')).toBe(1_500);
    expect(retryAfterFromReason('going away,retry-after=0')).toBe(0);
    expect(retryAfterFromReason('no-retry-after=5')).toBeUndefined();
    expect(retryAfterFromReason('retry-after=soon')).toBeUndefined();
    expect(retryAfterFromReason('')).toBeUndefined();
  });
});
