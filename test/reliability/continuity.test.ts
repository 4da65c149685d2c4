import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, type ConnectionState, type GapInfo } from '../../src/index.js';
import { createMockServer, seededRandom } from '../../src/mock-server/index.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';
import { waitFor } from '../helpers/wait.js';
import { useCleanup } from '../helpers/cleanup.js';

/**
 * Continuity over the native protocol: what each channel delivers is exactly what the server
 * published — nothing lost, nothing doubled, in order — through random drops and restarts;
 * and when the server can no longer replay, `gap` names the hole and `resync` runs before
 * live events resume.
 */

const channels = ['prices', 'trades', 'alerts'] as const;
const tick = (i: number) => price('SOL', `${i}.00`, i);

describe('continuity through faults (real mock server on 127.0.0.1)', () => {
  const track = useCleanup();

  it('10,000 events on three channels, 20 seeded random drops and restarts: each channel delivered exactly as published', async () => {
    const random = seededRandom(2024);
    const server = track(await createMockServer({ protocol: 'native', feed: false, replayBuffer: 20_000 }));
    const client = track(
      createClient({
        url: server.url,
        reconnect: { initialDelayMs: 20, maxDelayMs: 100, minDelayMs: 5 },
        random: seededRandom(99),
      }),
    );
    const states: ConnectionState[] = [];
    const gaps: GapInfo[] = [];
    client.on('state', (s) => states.push(s.current));
    client.on('gap', (g) => gaps.push(g));
    // Every channel carries price_update payloads here; the payload's price encodes the publish index.
    const got = new Map<string, { seq: number; price: string }[]>(channels.map((c) => [c, []]));
    for (const channel of channels) {
      const sub = client.subscribe(channel);
      sub.on('price_update', (p, meta) => got.get(channel)!.push({ seq: meta.seq!, price: p.price }));
      await sub.ready;
    }
    const total = 10_000;
    // 20 distinct fault points, seeded: where they fall and which fault each is.
    const faultAt = new Set<number>();
    while (faultAt.size < 20) faultAt.add(1 + Math.floor(random() * (total - 1)));
    const published = new Map<string, string[]>(channels.map((c) => [c, []]));
    const faults: string[] = [];
    for (let i = 1; i <= total; i++) {
      const channel = channels[Math.floor(random() * channels.length)]!;
      server.publish(channel, 'price_update', tick(i));
      published.get(channel)!.push(`${i}.00`);
      if (faultAt.has(i)) {
        // Only hit a connected client, and wait until it noticed: each fault is a real disconnect.
        await waitFor(() => client.state === 'open', 10_000);
        const before = client.stats().reconnects;
        if (random() < 0.5) {
          faults.push('drop');
          server.faults.dropAll();
        } else {
          const downMs = Math.floor(random() * 60);
          faults.push(`restart ${downMs}ms`);
          // Not awaited: events keep being published while the port is closed.
          void server.restart({ downMs });
        }
        await waitFor(() => client.stats().reconnects > before, 10_000);
      }
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await waitFor(() => channels.every((c) => got.get(c)!.length >= server.lastSeq(c)), 30_000);
    console.log(
      `faults: ${faults.join(', ')}; reconnects: ${client.stats().reconnects}, duplicates dropped: ${client.stats().duplicates}`,
    );
    for (const channel of channels) {
      const delivered = got.get(channel)!;
      expect(delivered.map((d) => d.seq)).toEqual(Array.from({ length: server.lastSeq(channel) }, (_, k) => k + 1));
      expect(delivered.map((d) => d.price)).toEqual(published.get(channel));
    }
    expect(channels.reduce((n, c) => n + got.get(c)!.length, 0)).toBe(total);
    expect(gaps).toEqual([]);
    expect(client.stats().reconnects).toBeGreaterThanOrEqual(20);
    expect(states.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(20);
    expect(client.state).toBe('open');
  });

  it('beyond the replay buffer: `gap` names the missing range at once, `resync` (a REST snapshot) runs, then live events resume', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false, replayBuffer: 5 }));
    const order: string[] = [];
    let snapshotNext: number | undefined;
    let releaseResync!: () => void;
    const resyncGate = new Promise<void>((resolve) => (releaseResync = resolve));
    const client = track(
      createClient({
        url: server.url,
        reconnect: { initialDelayMs: 20, minDelayMs: 5 },
        resync: async (gap) => {
          order.push(`resync ${gap.fromSeq}-${gap.toSeq}`);
          // What an app would do: refetch current state over REST.
          const body = (await (await fetch(`${server.httpUrl}/events?channel=${gap.channel}`)).json()) as {
            next: number;
          };
          snapshotNext = body.next;
          await resyncGate;
          order.push('resync done');
        },
      }),
    );
    client.on('gap', (g) => order.push(`gap ${g.channel} ${g.fromSeq}-${g.toSeq}`));
    const sub = client.subscribe('prices');
    sub.on('price_update', (_p, m) => order.push(`event ${m.seq}`));
    await sub.ready;
    for (let i = 1; i <= 3; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => order.length === 3);
    // Down long enough for 27 events: far more than the 5 the server keeps.
    const restarting = server.restart({ downMs: 150 });
    for (let i = 4; i <= 30; i++) server.publish('prices', 'price_update', tick(i));
    await restarting;
    await waitFor(() => order.includes('resync 4-30'), 5_000);
    // Live events published while the resync runs wait behind it.
    for (let i = 31; i <= 33; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => client.stats().frames >= 3 + 3 + 3); // 3 events, welcome+ack twice, 3 held events
    expect(order).toEqual(['event 1', 'event 2', 'event 3', 'gap prices 4-30', 'resync 4-30']);
    releaseResync();
    await waitFor(() => order.length === 9);
    expect(order.slice(5)).toEqual(['resync done', 'event 31', 'event 32', 'event 33']);
    expect(snapshotNext).toBeGreaterThanOrEqual(30);
  });
});

describe('continuity edge cases (scripted server, fake timers)', () => {
  afterEach(() => vi.useRealTimers());

  it('a server whose history restarted (ack behind our cursor) is followed, not ignored as duplicates', async () => {
    vi.useFakeTimers();
    const server = scriptedServer({ answer: false });
    const client = createClient({
      url: 'ws://feed.test/ws',
      transport: server.transport,
      random: () => 0,
      heartbeat: false,
    });
    const seen: string[] = [];
    client.on('gap', (g) => seen.push(`gap ${g.fromSeq}-${g.toSeq}`));
    client.subscribe('prices').on('price_update', (_p, m) => seen.push(`event ${m.seq}`));
    await flush();
    server.send({ op: 'ack', id: server.ops('subscribe')[0]!.id, channel: 'prices', seq: 0 });
    for (let i = 1; i <= 99; i++) server.event('prices', i, 'price_update', tick(i));
    await flush();
    server.current!.terminate();
    await vi.advanceTimersByTimeAsync(200);
    const resubscribe = server.ops('subscribe').at(-1)!;
    expect(resubscribe).toMatchObject({ since: 99 });
    // The new server instance starts over: seq 10 is its latest.
    server.send({ op: 'ack', id: resubscribe.id, channel: 'prices', recovered: false, seq: 10 });
    server.event('prices', 11, 'price_update', tick(11));
    await flush();
    expect(seen.slice(99)).toEqual(['gap 1-10', 'event 11']);
    await client.close();
  });
});
