import { afterEach, describe, expect, it } from 'vitest';
import { createClient, polling, presets, type ConnectionState } from '../../src/index.js';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { waitFor } from '../helpers/wait.js';

describe('REST-polling fallback for protocols without REST endpoints of their own', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('ares: polls snapshots of its frames, emits each event once, and goes back to WebSocket', async () => {
    server = await createMockServer({ protocol: 'ares', feed: false });
    server.faults.blockUpgrades({ mode: 'accept-then-close' });
    const client = createClient({
      url: server.url,
      protocol: presets.ares(),
      reconnect: { initialDelayMs: 10, maxDelayMs: 30, minDelayMs: 5 },
      fallback: polling({ afterFailures: 2, intervalMs: 20, probe: { initialDelayMs: 150, maxDelayMs: 200 } }),
    });
    const states: ConnectionState[] = [];
    client.on('state', (s) => states.push(s.current));
    const signals: number[] = [];
    client.subscribe('signals').on('signal', (s) => signals.push(s.data.price));
    await waitFor(() => client.state === 'polling', 5_000);
    const at = (i: number) => ({
      timestamp: new Date(1_700_000_000_000 + i).toISOString(),
      data: { strategy_name: 'RSI_Oversold', action: 'BUY', price: 42_000 + i, confidence: 0.8 },
    });
    for (let i = 1; i <= 5; i++) server.publish('signals', 'signal', at(i));
    await waitFor(() => signals.length === 5);
    // The same snapshot is served on every poll: nothing is emitted twice.
    await new Promise((r) => setTimeout(r, 100));
    expect(signals).toEqual([42_001, 42_002, 42_003, 42_004, 42_005]);
    server.publish('signals', 'signal', at(6));
    await waitFor(() => signals.length === 6);
    server.faults.blockUpgrades(false);
    await waitFor(() => client.state === 'open', 5_000);
    server.publish('signals', 'signal', at(7));
    await waitFor(() => signals.length === 7);
    expect(signals).toEqual([42_001, 42_002, 42_003, 42_004, 42_005, 42_006, 42_007]);
    expect(states.indexOf('polling')).toBeGreaterThan(0);
    expect(states.at(-1)).toBe('open');
    await client.close();
  });

  it('serves GET /poll/<channel> in the dialect wire shape for every preset', async () => {
    for (const name of ['cryptoPortfolio', 'ares', 'channelFeed', 'agentTracker', 'sentio'] as const) {
      const s = await createMockServer({ protocol: name, feed: { rate: 500 } });
      try {
        const protocol = presets[name]();
        const channel = protocol.channels![0]!;
        let frames: unknown[] = [];
        for (let i = 0; i < 100 && frames.length === 0; i++) {
          await new Promise((r) => setTimeout(r, 20));
          frames = (await (await fetch(`${s.httpUrl}/poll/${encodeURIComponent(channel)}`)).json()) as unknown[];
        }
        const kinds = frames.flatMap((frame) => protocol.decode(JSON.stringify(frame))).map((item) => item.kind);
        expect(kinds.length).toBeGreaterThan(0);
        expect(kinds.every((k) => k === 'event')).toBe(true);
      } finally {
        await s.close();
      }
    }
  });
});
