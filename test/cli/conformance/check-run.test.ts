import { describe, expect, it } from 'vitest';
import { CheckRun, isSeq, show } from '../../../src/cli/conformance/check-run.js';
import type { RuleResult } from '../../../src/cli/conformance/options.js';
import { useCleanup } from '../../helpers/cleanup.js';
import { waitFor } from '../../helpers/wait.js';
import { rawText } from '../../helpers/raw-text.js';
import { scriptServer } from './script-server.js';

/** A server that welcomes, acks every subscribe of `prices`, refuses other channels, and can publish. */
function acking(ws: import('ws').WebSocket): void {
  ws.send(JSON.stringify({ op: 'welcome', session: 's', version: '1.1' }));
  ws.on('message', (data) => {
    const frame = JSON.parse(rawText(data)) as { op: string; id: number; channel: string };
    if (frame.op !== 'subscribe') return;
    ws.send(
      JSON.stringify(
        frame.channel === 'prices'
          ? { op: 'ack', id: frame.id, channel: 'prices', seq: 7 }
          : { op: 'error', id: frame.id, code: 'unknown_channel' },
      ),
    );
  });
}

describe('a check run (CheckRun)', () => {
  const track = useCleanup();

  it('rule() records and reports each verdict in order: true passes, a string or a throw fails with its text', async () => {
    const reported: RuleResult[] = [];
    const run = new CheckRun({ url: 'ws://127.0.0.1:1' }, (r) => reported.push(r));
    expect(await run.rule('§3', 'passes', () => Promise.resolve(true))).toBe(true);
    expect(await run.rule('§4', 'says why', () => Promise.resolve('got nothing'))).toBe(false);
    expect(
      await run.rule('§5', 'throws', () => {
        throw new Error('boom');
      }),
    ).toBe(false);
    expect(await run.rule('§6', 'rejects', () => Promise.reject(new Error('late')))).toBe(false);
    const expected = [
      { section: '§3', rule: 'passes', ok: true },
      { section: '§4', rule: 'says why', ok: false, detail: 'got nothing' },
      { section: '§5', rule: 'throws', ok: false, detail: 'boom' },
      { section: '§6', rule: 'rejects', ok: false, detail: 'late' },
    ];
    expect(reported).toEqual(expected);
    expect(run.results).toEqual(expected);
  });

  it('uses the defaults (channel prices, 5000 ms) unless told, and hands out ids 1, 2, 3…', () => {
    const run = new CheckRun({ url: 'ws://127.0.0.1:1' }, () => {});
    expect([run.channel, run.timeoutMs]).toEqual(['prices', 5_000]);
    expect([run.nextId(), run.nextId(), run.nextId()]).toEqual([1, 2, 3]);
    const other = new CheckRun({ url: 'ws://127.0.0.1:1', channel: 'ticks', timeoutMs: 50 }, () => {});
    expect([other.channel, other.timeoutMs]).toEqual(['ticks', 50]);
  });

  it('session() authenticates first with a token; subscribe() sends the channel, params and since, and returns the ack', async () => {
    const server = track(await scriptServer(acking));
    const run = new CheckRun({ url: server.url, token: 'secret', timeoutMs: 1_000 }, () => {});
    try {
      const { conn, welcome } = await run.session();
      expect(welcome).toMatchObject({ op: 'welcome', session: 's' });
      const ack = await run.subscribe(conn, { a: 1 }, 3);
      expect(ack).toEqual({ op: 'ack', id: 1, channel: 'prices', seq: 7 });
      await waitFor(() => server.received.length === 2);
      expect(server.received.map((t) => JSON.parse(t) as unknown)).toEqual([
        { op: 'auth', token: 'secret' },
        { op: 'subscribe', id: 1, channel: 'prices', params: { a: 1 }, since: 3 },
      ]);
    } finally {
      run.closeAll();
    }
  });

  it('subscribe() throws what the server answered instead, or that it did not answer', async () => {
    const server = track(await scriptServer(acking));
    const mute = track(await scriptServer());
    const refusing = new CheckRun({ url: server.url, channel: 'nope', timeoutMs: 1_000 }, () => {});
    const silent = new CheckRun({ url: mute.url, timeoutMs: 40 }, () => {});
    try {
      const { conn } = await refusing.session();
      await expect(refusing.subscribe(conn, {})).rejects.toThrow(
        'subscribe id 1 refused: {"op":"error","id":1,"code":"unknown_channel"}',
      );
      const quiet = await silent.open();
      await expect(silent.subscribe(quiet, {})).rejects.toThrow('subscribe id 1 was not answered within 40 ms');
    } finally {
      refusing.closeAll();
      silent.closeAll();
    }
  });

  it('session() without a welcome says what came instead, and hints at --token only without one', async () => {
    const server = track(await scriptServer((ws) => ws.send(JSON.stringify({ op: 'error', code: 'unauthorized' }))));
    const bare = new CheckRun({ url: server.url, timeoutMs: 40 }, () => {});
    const withToken = new CheckRun({ url: server.url, token: 't', timeoutMs: 40 }, () => {});
    try {
      await expect(bare.session()).rejects.toThrow(
        'no welcome within 40 ms (if the server requires auth, pass --token); got {"op":"error","code":"unauthorized"}',
      );
      await expect(withToken.session()).rejects.toThrow(
        'no welcome within 40 ms; got {"op":"error","code":"unauthorized"}',
      );
    } finally {
      bare.closeAll();
      withToken.closeAll();
    }
  });

  it('liveEvents() and waitEvents() count only events of the channel under test, from a frame index on', async () => {
    const server = track(
      await scriptServer((ws) => {
        ws.send(JSON.stringify({ op: 'event', channel: 'prices', seq: 1 }));
        ws.send(JSON.stringify({ op: 'event', channel: 'trades', seq: 1 }));
        ws.send(JSON.stringify({ op: 'ack', id: 1, channel: 'prices' }));
        ws.send(JSON.stringify({ op: 'event', channel: 'prices', seq: 2 }));
      }),
    );
    const run = new CheckRun({ url: server.url, timeoutMs: 150 }, () => {});
    try {
      const conn = await run.open();
      const events = await run.waitEvents(conn, 2);
      expect(events.map((e) => e.seq)).toEqual([1, 2]);
      expect(run.liveEvents(conn, 1).map((e) => e.seq)).toEqual([2]);
      await expect(run.waitEvents(conn, 2, 1)).rejects.toThrow(
        'fewer than 2 event(s) on "prices" within 300 ms (the server must be publishing on it; see --channel)',
      );
    } finally {
      run.closeAll();
    }
  });

  it('closeAll() closes every connection the run opened', async () => {
    const server = track(await scriptServer());
    const run = new CheckRun({ url: server.url, timeoutMs: 500 }, () => {});
    await run.open();
    await run.open();
    run.closeAll();
    await waitFor(() => server.closedByClient.length === 2);
  });
});

describe('check-run helpers', () => {
  it('isSeq accepts safe integers ≥ 0 only', () => {
    expect([0, 1, 2 ** 53 - 1].every(isSeq)).toBe(true);
    expect([-1, 1.5, '1', null, undefined, 2 ** 53, NaN].some(isSeq)).toBe(false);
  });

  it('show prints JSON, cut to 160 characters with an ellipsis', () => {
    expect(show({ op: 'ack' })).toBe('{"op":"ack"}');
    expect(show(undefined)).toBe('undefined');
    const long = show({ text: 'x'.repeat(300) });
    expect(long).toHaveLength(158);
    expect(long.endsWith('…')).toBe(true);
  });
});
