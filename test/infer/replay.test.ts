import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/client/client.js';
import type { Client, StateChange } from '../../src/client/types.js';
import type { InvalidMessage } from '../../src/client/message-types.js';
import type { EventCatalog } from '../../src/events.js';
import { run } from '../../src/cli/run.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { replayDialect } from '../../src/mock-server/replay.js';
import { protocolFor } from '../../src/cli/protocols.js';
import { createFeedEngine } from '../../src/server/engine.js';
import { useCleanup } from '../helpers/cleanup.js';
import { rawText } from '../helpers/raw-text.js';
import { waitFor } from '../helpers/wait.js';
import { fakeSocket } from '../mock-server/fake-socket.js';
import { cli, cliIO, readRecording, scratch } from './harness.js';

const header = {
  format: 'dashwire-recording',
  version: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  url: 'ws://h/ws',
  preset: null,
} as const;
const line = (value: object): string => JSON.stringify(value);
const inFrame = (t: number, frame: object) => line({ t, conn: 1, kind: 'in', frame: JSON.stringify(frame) });

/** A connection opened at t=10: hello at +0, ticks at +100 and +300, a ping answered at +105/+107, closed by the server at +390. */
const session = [
  line(header),
  line({ t: 0, conn: 1, kind: 'connect', url: 'ws://h/ws' }),
  line({ t: 10, conn: 1, kind: 'open' }),
  inFrame(10, { type: 'hello' }),
  inFrame(110, { type: 'tick', n: 1 }),
  line({ t: 115, conn: 1, kind: 'out', frame: '{"op":"ping","id":7}' }),
  inFrame(117, { type: 'pong', id: 7 }),
  inFrame(310, { type: 'tick', n: 2 }),
  line({ t: 400, conn: 1, kind: 'close', code: 4000, reason: 'bye', wasClean: true, by: 'server' }),
].join('\n');

describe('replay dialect (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function replaying(options: { speed?: number; loop?: boolean } = {}) {
    vi.useFakeTimers();
    const engine = createFeedEngine({ protocol: replayDialect({ recording: session, ...options }) });
    const client = fakeSocket('/ws');
    engine.accept(client.socket);
    const types = () => client.frames().map((f) => (f as { type: string }).type);
    return { engine, client, types };
  }

  it('serves the recorded frames in their recorded rhythm, then the recorded close', async () => {
    const { client, types } = replaying();
    expect(types()).toEqual(['hello']);
    await vi.advanceTimersByTimeAsync(99);
    expect(types()).toEqual(['hello']);
    await vi.advanceTimersByTimeAsync(1);
    expect(types()).toEqual(['hello', 'tick']);
    await vi.advanceTimersByTimeAsync(200);
    expect(types()).toEqual(['hello', 'tick', 'tick']);
    expect(client.closed()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(90);
    expect(client.closed()).toEqual({ code: 4000, reason: 'bye' });
  });

  it('--speed 2 plays twice as fast', async () => {
    const { types } = replaying({ speed: 2 });
    await vi.advanceTimersByTimeAsync(50);
    expect(types()).toEqual(['hello', 'tick']);
    await vi.advanceTimersByTimeAsync(100);
    expect(types()).toEqual(['hello', 'tick', 'tick']);
  });

  it('answers a recorded request with its recorded reply, carrying the live id; other requests get nothing', async () => {
    const { client } = replaying();
    client.receive({ op: 'ping', id: 42 });
    expect(client.frames().at(-1)).toEqual({ type: 'pong', id: 42 });
    const before = client.sent.length;
    client.receive({ op: 'subscribe', channel: 'x' });
    expect(client.sent.length).toBe(before);
    // The reply is not on the clock: nothing but the ticks arrive without a ping.
    await vi.advanceTimersByTimeAsync(300);
    expect(client.frames().filter((f) => (f as { type: string }).type === 'pong')).toHaveLength(1);
  });

  it('--loop starts again after the last frame instead of closing', async () => {
    const { client, types } = replaying({ loop: true });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.closed()).toBeUndefined();
    expect(types().filter((t) => t === 'hello').length).toBeGreaterThanOrEqual(2);
    expect(types().slice(0, 4)).toEqual(['hello', 'tick', 'tick', 'hello']);
  });

  it('keeps the engine faults: silence, raw frames, drop', async () => {
    const { engine, client, types } = replaying();
    engine.faults.silence(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(types()).toEqual(['hello']);
    engine.faults.silence(false);
    engine.faults.sendRaw('{not json');
    expect(client.sent.at(-1)).toBe('{not json');
    engine.faults.dropAll();
    expect(client.closed()).toEqual({ code: 1006, reason: '' });
    // The client's playback timer went with it.
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('replay of a busy feed: replies found by content, not only by coming first (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Ticks every 20 ms; two pings whose pongs come after a tick, and a subscribe whose ack echoes its id after a tick. */
  const busy = [
    line(header),
    line({ t: 0, conn: 1, kind: 'connect', url: 'ws://h/ws' }),
    line({ t: 0, conn: 1, kind: 'open' }),
    ...[
      ...Array.from({ length: 30 }, (_, i) => ({
        t: 20 * (i + 1),
        conn: 1,
        kind: 'in',
        frame: `{"type":"tick","n":${i + 1}}`,
      })),
      { t: 105, conn: 1, kind: 'out', frame: '{"type":"ping"}' },
      { t: 121, conn: 1, kind: 'in', frame: '{"type":"pong"}' },
      { t: 305, conn: 1, kind: 'out', frame: '{"op":"subscribe","id":3,"channel":"x"}' },
      { t: 323, conn: 1, kind: 'in', frame: '{"type":"subscribed","id":3}' },
      { t: 505, conn: 1, kind: 'out', frame: '{"type":"ping"}' },
      { t: 522, conn: 1, kind: 'in', frame: '{"type":"pong"}' },
    ]
      .sort((a, b) => a.t - b.t)
      .map(line),
  ].join('\n');

  it('a pong that came after a tick still answers the ping, an ack that echoes the id answers its request; neither plays on the clock', async () => {
    vi.useFakeTimers();
    const engine = createFeedEngine({ protocol: replayDialect({ recording: busy }) });
    const client = fakeSocket('/ws');
    engine.accept(client.socket);
    const types = () => client.frames().map((f) => (f as { type: string }).type);
    await vi.advanceTimersByTimeAsync(700);
    // The clock plays the ticks only.
    expect(new Set(types())).toEqual(new Set(['tick']));
    expect(types()).toHaveLength(30);
    client.receive({ type: 'ping' });
    expect(types().at(-1)).toBe('pong');
    client.receive({ op: 'subscribe', id: 9, channel: 'x' });
    expect(client.frames().at(-1)).toEqual({ type: 'subscribed', id: 9 });
    engine.close();
  });
});

describe('replay over a real socket', () => {
  const track = useCleanup();

  it('createMockServer({ replay }) plays a CLI recording to a client, keeps faults, and answers recorded pings', async () => {
    const dir = scratch();
    track({ close: dir.dispose });
    const live = track(await createMockServer({ protocol: 'ares', feed: { rate: 300 } }));
    // --raw: no preset, one ping sent by hand, so the recording holds a request and its reply.
    await cli([
      'tail',
      live.url,
      '--record',
      dir.file('ares.ndjson'),
      '--raw',
      '--send',
      '{"type":"ping"}',
      '--count',
      '40',
    ]);
    await live.close();
    const recording = readRecording(dir.file('ares.ndjson'));
    const recorded = recording.entries.flatMap((e) =>
      e.kind === 'in' ? [JSON.parse(e.frame) as { type: string }] : [],
    );
    expect(recorded[0]!.type).toBe('connected');
    expect(recorded.some((f) => f.type === 'pong')).toBe(true);
    expect(recording.entries.filter((e) => e.kind === 'out')).toEqual([
      expect.objectContaining({ frame: '{"type":"ping"}' }),
    ]);

    const server = track(await createMockServer({ replay: { path: dir.file('ares.ndjson'), speed: 4 } }));
    expect(server.url).toMatch(/\/ws$/);
    const client: Client<EventCatalog> = track(
      createClient({
        url: server.url,
        protocol: protocolFor('ares'),
        reconnect: { initialDelayMs: 10, maxDelayMs: 10 },
      }),
    );
    const got: string[] = [];
    const invalid: InvalidMessage[] = [];
    const states: StateChange[] = [];
    for (const type of ['connected', 'signal', 'trade', 'trade_closed', 'metrics', 'alert'])
      client.on(type, (_d: unknown, meta: { type: string }) => got.push(meta.type));
    client.on('invalid', (m) => invalid.push(m));
    client.on('state', (s) => states.push(s));
    const events = recorded.filter((f) => f.type !== 'pong').map((f) => f.type);
    await waitFor(() => got.length >= events.length, 5_000);
    expect(got.slice(0, events.length)).toEqual(events);
    expect(invalid).toEqual([]);

    server.faults.sendRaw('{"type":"signal","timestamp":"never","data":{}}');
    await waitFor(() => invalid.length === 1);
    expect(invalid[0]).toMatchObject({ reason: 'schema', type: 'signal' });

    server.engine.clearReceived();
    server.faults.dropAll();
    await waitFor(() => states.some((s) => s.current === 'reconnecting'));
    // The reconnected client is a new replay: it gets the welcome again.
    await waitFor(() => got.filter((t) => t === 'connected').length === 2, 5_000);
    // A recorded request gets its recorded reply.
    const pongs: string[] = [];
    const raw = new (await import('ws')).WebSocket(server.url);
    track({ close: () => raw.close() });
    raw.on('message', (d) => pongs.push(rawText(d)));
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send('{"type":"ping"}');
    await waitFor(() => pongs.some((p) => p.includes('"pong"')));

    // Half-open: while silenced, nothing leaves the server: no pong, no timeline frame, no raw
    // frame. Each marker goes out in the same tick as its switch of the silence, and one socket
    // keeps its order: whatever arrives between the two markers was sent while silenced.
    const before = '{"type":"before-silence"}';
    const after = '{"type":"after-silence"}';
    const ping = '{"type":"ping","id":"half-open"}';
    server.faults.sendRaw(before);
    server.faults.silence(true);
    raw.send(ping);
    await waitFor(() => server.engine.received.some((r) => r.frame === ping));
    server.faults.sendRaw('{"type":"during-silence"}');
    server.faults.silence(false);
    server.faults.sendRaw(after);
    await waitFor(() => pongs.includes(after));
    expect(pongs.slice(pongs.indexOf(before) + 1, pongs.indexOf(after))).toEqual([]);

    // Refused: new connections fail while refusing.
    server.faults.refuse(60_000);
    const refused = new (await import('ws')).WebSocket(server.url);
    refused.on('error', () => {});
    const status = await new Promise<number | undefined>((resolve) =>
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(503);
    refused.terminate();
  });

  it('dashwire serve --replay serves until Ctrl-C', async () => {
    const dir = scratch();
    track({ close: dir.dispose });
    const path = dir.write('s.ndjson', session);
    const controller = new AbortController();
    const out = cliIO(controller.signal);
    const done = run(['serve', '--replay', path, '--port', '0', '--speed', '10', '--loop'], out.io);
    const url = await waitFor(() => /on (ws:\/\/\S+)/.exec(out.out())?.[1]);
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(url);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(rawText(d)));
    await waitFor(() => frames.length >= 4, 3_000);
    expect(frames.slice(0, 4).map((f) => (JSON.parse(f) as { type: string }).type)).toEqual([
      'hello',
      'tick',
      'tick',
      'hello',
    ]);
    ws.close();
    controller.abort();
    expect(await done).toBe(0);
    expect(await run(['serve', '--replay', path, '--speed', '0'], cliIO().io)).toBe(1);
    expect(await run(['serve', '--replay', dir.file('missing.ndjson')], cliIO().io)).toBe(1);
  });
});
