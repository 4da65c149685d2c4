import { afterEach, describe, expect, it } from 'vitest';
import { exitCodes, run, type CliIO } from '../../src/cli/run.js';
import { paramsFrom } from '../../src/cli/args.js';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { waitFor } from '../helpers/wait.js';

function io(signal = new AbortController().signal, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = {
    stdout: { write: (t: string) => out.push(t), isTTY },
    stderr: { write: (t: string) => err.push(t) },
    signal,
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

describe('dashwire CLI', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('tail --json prints one JSON object a line: state, then typed events', async () => {
    server = await createMockServer({ protocol: 'native', feed: { rate: 200 } });
    const t = io();
    const code = await run(['tail', server.url, '--channel', 'prices', '--json', '--count', '5'], t.io);
    expect(code).toBe(exitCodes.ok);
    const lines = t
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(0, 2)).toEqual([
      { kind: 'state', state: 'connecting', previous: 'idle' },
      { kind: 'state', state: 'open', previous: 'connecting' },
    ]);
    const events = lines.filter((l) => l.kind === 'event');
    expect(events).toHaveLength(5);
    for (const e of events) {
      expect(e).toMatchObject({
        kind: 'event',
        type: 'price_update',
        channel: 'prices',
        data: { symbol: expect.any(String), price: expect.stringMatching(/^\d+\.\d+$/) },
      });
    }
    expect(lines.at(-1)).toEqual({ kind: 'state', state: 'closed', previous: 'open' });
  });

  it('tail --json reports invalid and unknown frames as their own kinds', async () => {
    server = await createMockServer({ protocol: 'native', feed: false });
    const controller = new AbortController();
    const t = io(controller.signal);
    const done = run(['tail', server.url, '--channel', 'alerts', '--json'], t.io);
    await new Promise((r) => setTimeout(r, 150));
    server.faults.sendRaw('not json at all');
    server.broadcast({ op: 'event', channel: 'alerts', seq: 1, type: 'mystery', data: {} });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    expect(await done).toBe(exitCodes.ok);
    const kinds = t
      .out()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toEqual(['state', 'state', 'invalid', 'unknown', 'state']);
  });

  it('exits 1 with a clear message on usage errors', async () => {
    for (const argv of [
      ['tail'],
      ['tail', 'not a url'],
      ['tail', 'http://x'],
      ['tail', 'ws://x', '--preset', 'nope'],
      ['frobnicate'],
      ['tail', 'ws://x', '--bogus'],
    ]) {
      const t = io();
      expect(await run(argv, t.io)).toBe(exitCodes.usage);
      expect(t.err()).toMatch(/^dashwire: /);
    }
  });

  it('exits 2 when the connection is given up', async () => {
    const t = io();
    const code = await run(['tail', 'ws://127.0.0.1:9/ws', '--retries', '1'], t.io);
    expect(code).toBe(exitCodes.gaveUp);
    expect(t.err()).toContain('gave up: max_attempts');
  });

  it('Ctrl-C while reconnecting: the last line is a plain closed, with no stale error and no refusals', async () => {
    for (const json of [true, false]) {
      const controller = new AbortController();
      const t = io(controller.signal);
      const done = run(['tail', 'ws://127.0.0.1:9/ws', ...(json ? ['--json'] : [])], t.io);
      await waitFor(() => t.out().includes('connect_failed'));
      controller.abort();
      expect(await done).toBe(exitCodes.ok);
      const last = t.out().trim().split('\n').at(-1)!;
      if (json) expect(JSON.parse(last)).toEqual({ kind: 'state', state: 'closed', previous: 'reconnecting' });
      else expect(last).toMatch(/● closed$/);
      expect(t.out()).not.toContain('refused');
    }
  });

  it('prints help for every command', async () => {
    for (const command of ['serve', 'tail', 'demo']) {
      const t = io();
      expect(await run([command, '--help'], t.io)).toBe(0);
      expect(t.out()).toContain(`dashwire ${command}`);
    }
  });

  it('serve runs until Ctrl-C and closes cleanly', async () => {
    const controller = new AbortController();
    const t = io(controller.signal);
    const done = run(['serve', '--port', '0', '--rate', '0'], t.io);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.out()).toMatch(/on ws:\/\/127\.0\.0\.1:\d+\/ws/);
    controller.abort();
    expect(await done).toBe(0);
    expect(t.out()).toContain('server closed');
  });

  it('demo serves and tails in one process, on a TTY with a live status line', async () => {
    const t = io(new AbortController().signal, true);
    expect(await run(['demo', '--rate', '50', '--duration', '0.5'], t.io)).toBe(0);
    expect(t.out()).toContain('price_update');
    expect(t.out()).toMatch(/● open · \d+ events/);
  });

  it('turns --param pairs into subscription params', () => {
    expect(paramsFrom(['symbols=AAPL,MSFT', 'user_id=u1', 'tag=a', 'tag=b'])).toEqual({
      symbols: ['AAPL', 'MSFT'],
      user_id: 'u1',
      tag: ['a', 'b'],
    });
  });
});
