import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, nativeDefaults } from '../../src/index.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

/**
 * The documented bound: a connection that goes silent is found dead at most
 * `intervalMs + timeoutMs` after the last frame, for every combination of client options and
 * server `heartbeatMs`, on quiet links (only pongs) and busy ones (a frame every 100 ms).
 */
type Options = { intervalMs?: number; timeoutMs?: number };
const clientOptions: (Options | undefined)[] = [
  undefined,
  { timeoutMs: 3_000 },
  { intervalMs: 2_000, timeoutMs: 3_000 },
  { intervalMs: 500, timeoutMs: 200 },
  { intervalMs: 10_000, timeoutMs: 1_000 },
];
const serverHeartbeats: (number | undefined)[] = [undefined, 500, 1_000, 5_000, 30_000];

/** The interval the client runs with: the user's, else the server's (floored at 1 s), else the protocol's. */
function effective(options: Options | undefined, serverMs: number | undefined) {
  const intervalMs =
    options?.intervalMs ?? (serverMs === undefined ? nativeDefaults.heartbeat.intervalMs : Math.max(1_000, serverMs));
  return { intervalMs, timeoutMs: options?.timeoutMs ?? nativeDefaults.heartbeat.timeoutMs };
}

describe('heartbeat cadence: detection within intervalMs + timeoutMs', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  for (const options of clientOptions) {
    for (const serverMs of serverHeartbeats) {
      for (const link of ['quiet', 'busy'] as const) {
        const { intervalMs, timeoutMs } = effective(options, serverMs);
        it(`client ${JSON.stringify(options ?? 'defaults')}, server heartbeatMs ${serverMs ?? 'none'}, ${link} link: ≤ ${intervalMs + timeoutMs} ms`, async () => {
          const server = scriptedServer({ heartbeatMs: serverMs });
          const client = createClient({
            url: 'ws://feed.test/ws',
            transport: server.transport,
            random: () => 1,
            ...(options ? { heartbeat: options } : {}),
          });
          let detectedAt: number | undefined;
          client.on('state', (c) => {
            if (c.error?.code === 'heartbeat_timeout') detectedAt ??= Date.now();
          });
          client.subscribe('prices');
          await flush();
          expect(client.state).toBe('open');
          let silentAt: number | undefined;
          const socket = server.current!;
          if (link === 'quiet') {
            // Goes silent right after answering the second ping (the worst moment: just after a pong).
            const answer = socket.onMessage!;
            let pings = 0;
            socket.onMessage = (frame) => {
              if (silentAt !== undefined) return;
              answer(frame);
              if ((JSON.parse(frame) as { op: string }).op === 'ping' && ++pings === 2) {
                silentAt = Date.now();
                server.setAnswer(false);
              }
            };
          } else {
            let seq = 0;
            const stopAt = Date.now() + 3 * intervalMs + 37;
            const feed = setInterval(() => {
              server.event('prices', ++seq, 'price_update', price('A', '1'));
              if (Date.now() >= stopAt) {
                clearInterval(feed);
                silentAt = Date.now();
                server.setAnswer(false);
              }
            }, 100);
          }
          for (let i = 0; i < 40 && detectedAt === undefined; i++) await vi.advanceTimersByTimeAsync(intervalMs);
          expect(silentAt).toBeDefined();
          expect(detectedAt).toBeDefined();
          expect(detectedAt! - silentAt!).toBeLessThanOrEqual(intervalMs + timeoutMs);
          await client.close();
        });
      }
    }
  }
});
