import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientDefaults, createClient, polling, type StateChange, type Transport } from '../../src/index.js';
import { waitFor } from '../helpers/wait.js';

/** A transport whose handshakes are never answered: no open, no close, until the client closes. */
function hungTransport() {
  const attempts: { url: string; closed: boolean }[] = [];
  const transport: Transport = {
    kind: 'hung',
    connect({ url, handlers }) {
      const attempt = { url, closed: false };
      attempts.push(attempt);
      return {
        send() {},
        close(code = 1000, reason = '') {
          if (attempt.closed) return;
          attempt.closed = true;
          queueMicrotask(() => handlers.onClose({ code, reason, wasClean: false }));
        },
      };
    },
  };
  return { transport, attempts };
}

describe('connectTimeoutMs', () => {
  describe('with fake timers', () => {
    beforeEach(() => {
      vi.useFakeTimers();
      vi.setSystemTime(1_000_000);
    });
    afterEach(() => vi.useRealTimers());

    it('a handshake never answered ends as connect_timeout, then a normal retry with backoff', async () => {
      const { transport, attempts } = hungTransport();
      const client = createClient({ url: 'ws://feed.test/ws', transport, connectTimeoutMs: 1_000, random: () => 1 });
      const changes: StateChange[] = [];
      client.on('state', (c) => changes.push(c));
      await vi.advanceTimersByTimeAsync(999);
      expect(client.state).toBe('connecting');
      expect(attempts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(client.state).toBe('reconnecting');
      expect(client.error?.code).toBe('connect_timeout');
      expect(attempts[0]!.closed).toBe(true);
      // Backoff (first retry: up to 500 ms, random 1 → 500), then the next attempt times out the same way.
      await vi.advanceTimersByTimeAsync(499);
      expect(attempts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(attempts[1]!.closed).toBe(true);
      expect(changes.map((c) => `${c.current}${c.error ? `:${c.error.code}` : ''}`)).toEqual([
        'connecting',
        'reconnecting:connect_timeout',
      ]);
      await client.close();
    });

    it(`defaults to ${clientDefaults.connectTimeoutMs} ms`, async () => {
      const { transport, attempts } = hungTransport();
      const client = createClient({ url: 'ws://feed.test/ws', transport });
      await vi.advanceTimersByTimeAsync(clientDefaults.connectTimeoutMs - 1);
      expect(client.state).toBe('connecting');
      await vi.advanceTimersByTimeAsync(1);
      expect(client.error?.code).toBe('connect_timeout');
      expect(attempts[0]!.closed).toBe(true);
      await client.close();
    });

    it('counts toward the fallback like any failed attempt', async () => {
      const { transport } = hungTransport();
      const fetch = async () => ({
        status: 200,
        headers: { get: () => null },
        text: async () => '{"events":[],"next":{}}',
      });
      const client = createClient({
        url: 'ws://feed.test/ws',
        transport,
        connectTimeoutMs: 100,
        random: () => 0,
        fallback: polling({ afterFailures: 2, fetch }),
      });
      client.subscribe('prices');
      await vi.advanceTimersByTimeAsync(2_000);
      expect(client.state).toBe('polling');
      await client.close();
    });
  });

  describe('against a real TCP server that accepts and never answers the upgrade', () => {
    let server: Server;
    const sockets: Socket[] = [];
    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('times out, closes the socket, and retries', async () => {
      const ended: Socket[] = [];
      server = createServer((socket) => {
        sockets.push(socket);
        socket.on('close', () => ended.push(socket)).on('error', () => {});
        socket.resume(); // read the upgrade request, never answer it
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const client = createClient({
        url: `ws://127.0.0.1:${port}/ws`,
        connectTimeoutMs: 150,
        reconnect: { initialDelayMs: 20, minDelayMs: 10 },
      });
      const codes: string[] = [];
      client.on('state', (c) => c.error && codes.push(c.error.code));
      await waitFor(() => codes.includes('connect_timeout'), 5_000);
      expect(client.state).toBe('reconnecting');
      // The retry reaches the server again; the first socket was given up by the client.
      await waitFor(() => sockets.length >= 2, 5_000);
      await waitFor(() => ended.includes(sockets[0]!), 5_000);
      await client.close();
    });
  });
});
