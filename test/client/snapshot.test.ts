import { describe, expect, it } from 'vitest';
import {
  createClient,
  isTimeGap,
  polling,
  presets,
  type GapInfo,
  type ResyncedInfo,
  type SnapshotInfo,
} from '../../src/index.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { useCleanup } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';

const tick = (symbol: string, i: number) => ({ symbol, price: `${100 + i}.00`, change_24h: '0.1', ts: i });
const fast = { initialDelayMs: 20, maxDelayMs: 50, minDelayMs: 5 };

describe('snapshot, then stream (#16 part 1)', () => {
  const track = useCleanup();

  it('native: applies GET /snapshot to the latest store, emits snapshot, then live events after its seq only', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false }));
    for (let i = 1; i <= 6; i++) server.publish('prices', 'price_update', tick(i % 2 ? 'SOL' : 'BTC', i));
    const client = track(createClient({ url: server.url }));
    const order: string[] = [];
    client.on('snapshot', (s) =>
      order.push(
        `snapshot ${s.channel} seq=${s.seq} ${s.items.map((i) => (i.data as { price: string }).price).join(',')}`,
      ),
    );
    const sub = client.subscribe('prices', {}, { snapshot: true });
    sub.on('price_update', (_p, meta) => order.push(`live ${meta.seq}`));
    await waitFor(() => order.length > 0);
    expect(client.latest('price_update', 'SOL')?.price).toBe('105.00');
    expect(client.latest('price_update', 'BTC')?.price).toBe('106.00');
    for (let i = 7; i <= 9; i++) server.publish('prices', 'price_update', tick('SOL', i));
    await waitFor(() => order.length === 4);
    expect(order).toEqual(['snapshot prices seq=6 105.00,106.00', 'live 7', 'live 8', 'live 9']);
  });

  it('live events that arrive while the snapshot is fetched wait, and those it covers are dropped (no duplicate, no hole)', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false }));
    let answer!: (value: { seq: number; items: { type: string; data: unknown }[] }) => void;
    const asked: string[] = [];
    const client = track(
      createClient({
        url: server.url,
        snapshot: ({ channel }) => {
          asked.push(channel);
          return new Promise((resolve) => (answer = resolve));
        },
      }),
    );
    const seen: string[] = [];
    client.on('snapshot', (s) => seen.push(`snapshot seq=${s.seq}`));
    const sub = client.subscribe('prices', {}, { snapshot: true });
    sub.on('price_update', (_p, meta) => seen.push(`live ${meta.seq}`));
    await sub.ready;
    await waitFor(() => asked.length === 1);
    // Published after the subscribe, before the snapshot answers: 1-3 are in the snapshot, 4-5 are not.
    for (let i = 1; i <= 5; i++) server.publish('prices', 'price_update', tick('SOL', i));
    await waitFor(() => client.stats().received === 0 && server.lastSeq('prices') === 5);
    await new Promise((r) => setTimeout(r, 30)); // let the five frames reach the client (they are held)
    expect(seen).toEqual([]);
    answer({ seq: 3, items: [{ type: 'price_update', data: tick('SOL', 3) }] });
    await waitFor(() => seen.length === 3);
    server.publish('prices', 'price_update', tick('SOL', 6));
    await waitFor(() => seen.length === 4);
    expect(seen).toEqual(['snapshot seq=3', 'live 4', 'live 5', 'live 6']);
    expect(client.latest('price_update', 'SOL')?.price).toBe('106.00');
  });

  it('native: a resume the server cannot serve (recovered:false) re-snapshots by itself: resynced, store replaced, resync hook still runs, seqs continue', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false, replayBuffer: 3 }));
    const hooked: GapInfo[] = [];
    const client = track(createClient({ url: server.url, reconnect: fast, resync: (gap) => void hooked.push(gap) }));
    const order: string[] = [];
    client.on('gap', (g) => order.push(`gap ${g.fromSeq}-${g.toSeq}`));
    client.on('resynced', (r: ResyncedInfo) => order.push(`resynced ${r.channel}`));
    const sub = client.subscribe('prices', {}, { snapshot: true });
    sub.on('price_update', (_p, meta) => order.push(`live ${meta.seq}`));
    let snapshotted = false;
    client.on('snapshot', () => (snapshotted = true));
    await waitFor(() => snapshotted);
    server.publish('prices', 'price_update', tick('ETH', 1));
    await waitFor(() => order.includes('live 1'));
    expect(client.latest('price_update', 'ETH')).toBeDefined();
    await server.restart({ downMs: 30 });
    // While down… (the restart keeps history; the buffer of 3 cannot cover 2-9)
    for (let i = 2; i <= 9; i++) server.publish('prices', 'price_update', tick('SOL', i));
    await waitFor(() => order.includes('resynced prices'), 5_000);
    server.publish('prices', 'price_update', tick('SOL', 10));
    await waitFor(() => order.includes('live 10')).catch(() => {
      throw new Error(order.join(' / '));
    });
    expect(order).toEqual(['live 1', 'gap 2-9', 'resynced prices', 'live 10']);
    expect(hooked).toEqual([{ channel: 'prices', fromSeq: 2, toSeq: 9 }]);
    // Replaced: ETH came only from the lost history; the snapshot (seqs 7-9) knows SOL only.
    expect(client.latest('price_update', 'ETH')).toBeUndefined();
    expect(client.latest('price_update', 'SOL')?.price).toBe('110.00');
  });

  it('sentio (REST snapshots): snapshot from /api/<channel>, and a reconnect re-snapshots (resynced) with no gap', async () => {
    const server = track(await createMockServer({ protocol: 'sentio', feed: false }));
    const earnings = (v: number) => ({
      data: { portfolio_value: v, total_return: 1, daily_pnl: 2, win_rate: 0.5 },
      timestamp: '2024-10-05T10:30:00',
    });
    server.publish('earnings', 'earnings', earnings(1_000));
    const client = track(
      createClient({ url: server.httpUrl.replace('http', 'ws'), protocol: presets.sentio(), reconnect: fast }),
    );
    const snapshots: SnapshotInfo[] = [];
    const resynced: string[] = [];
    const gaps: GapInfo[] = [];
    client.on('snapshot', (s) => snapshots.push(s));
    client.on('resynced', (r) => resynced.push(r.channel));
    client.on('gap', (g) => gaps.push(g));
    client.subscribe('earnings', {}, { snapshot: true });
    await waitFor(() => snapshots.length === 1);
    expect(client.latest('earnings')?.data.portfolio_value).toBe(1_000);
    await server.restart({ downMs: 30 });
    server.publish('earnings', 'earnings', earnings(2_000)); // missed on the WebSocket
    await waitFor(() => resynced.length === 1, 5_000);
    expect(client.latest('earnings')?.data.portfolio_value).toBe(2_000);
    expect(gaps).toEqual([]);
  });

  it('a preset without a snapshot source (ares) reports an honest time-range gap after a reconnect', async () => {
    const server = track(await createMockServer({ protocol: 'ares', feed: false }));
    const client = track(createClient({ url: server.url, protocol: presets.ares(), reconnect: fast }));
    const gaps: GapInfo[] = [];
    client.on('gap', (g) => gaps.push(g));
    const sub = client.subscribe(presets.ares().channels?.[0] ?? 'prices');
    await sub.ready;
    await waitFor(() => client.state === 'open');
    const before = Date.now();
    await server.restart({ downMs: 30 });
    await waitFor(() => gaps.length === 1, 5_000);
    const gap = gaps[0]!;
    expect(isTimeGap(gap)).toBe(true);
    if (!isTimeGap(gap)) return;
    expect(gap.from.getTime()).toBeGreaterThanOrEqual(before);
    expect(gap.to.getTime()).toBeGreaterThanOrEqual(gap.from.getTime());
    expect(gap.toSeq - gap.fromSeq + 1).toBe(0); // code written for seq gaps counts none
  });

  it('a native server without the optional endpoint (404) reports snapshot_unavailable once and streams live events', async () => {
    const server = track(await createMockServer({ protocol: 'native', feed: false }));
    const errors: string[] = [];
    // The REST base is the fallback's URL when one is given: point it where no endpoint exists.
    const other = track(createClient({ url: server.url, fallback: polling({ url: `${server.httpUrl}/nowhere` }) }));
    other.on('error', (e) => errors.push(e.code));
    const seqs: number[] = [];
    const sub = other.subscribe('prices', {}, { snapshot: true });
    sub.on('price_update', (_p, meta) => seqs.push(meta.seq!));
    await sub.ready;
    await waitFor(() => errors.includes('snapshot_unavailable'));
    server.publish('prices', 'price_update', tick('SOL', 1));
    await waitFor(() => seqs.length === 1);
    expect(seqs).toEqual([1]);
    expect(errors.filter((e) => e === 'snapshot_unavailable')).toHaveLength(1);
  });
});
