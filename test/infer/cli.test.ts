import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { parseRecording, RecordingError } from '../../src/infer/recording.js';
import { cliIO, readRecording, scratch } from './harness.js';

const dir = scratch();
afterAll(() => dir.dispose());

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('record and infer command lines', () => {
  it.each([
    [['tail', 'ws://127.0.0.1:1/ws', '--raw'], '--raw records without a preset'],
    [['tail', 'ws://127.0.0.1:1/ws', '--send', '{}'], '--send needs --raw'],
    [
      ['tail', 'ws://127.0.0.1:1/ws', '--record', 'x.ndjson', '--raw', '--preset', 'ares'],
      '--raw and --preset exclude each other',
    ],
    [['tail', 'ws://127.0.0.1:1/ws', '--record', 'x.ndjson', '--raw', '--send', '{oops'], '--send expects JSON'],
    [['infer'], 'needs a recording file'],
    [['infer', 'missing.ndjson'], 'cannot read missing.ndjson'],
    [['infer', '--check', 'missing.ndjson'], 'cannot read'],
    [['serve', '--replay', 'missing.ndjson'], 'cannot read'],
  ])('%j is a usage error: %s', async (argv, message) => {
    const c = cliIO();
    expect(await run(argv, c.io)).toBe(1);
    expect(c.err()).toContain(message);
  });

  it('tail --raw to a port nothing listens on exits 2 and still writes a readable recording', async () => {
    const file = dir.file('refused.ndjson');
    const c = cliIO();
    expect(
      await run(['tail', `ws://127.0.0.1:${await closedPort()}/ws?token=secret`, '--record', file, '--raw'], c.io),
    ).toBe(2);
    const recording = readRecording(file);
    expect(recording.header).toMatchObject({ preset: null, url: expect.not.stringContaining('secret') });
    expect(recording.entries.map((e) => e.kind)).toEqual(['connect', 'error', 'close']);
    expect(recording.entries[0]).toMatchObject({ url: expect.not.stringContaining('token') });
    expect(recording.entries[2]).toMatchObject({ by: 'server', code: 1006 });
  });

  it('infer --help documents the command; the main help lists record, replay and infer', async () => {
    const c = cliIO();
    expect(await run(['infer', '--help'], c.io)).toBe(0);
    expect(c.out()).toContain('--check');
    const main = cliIO();
    await run(['--help'], main.io);
    expect(main.out()).toMatch(/--record FILE/);
    expect(main.out()).toMatch(/serve --replay FILE/);
    expect(main.out()).toMatch(/infer FILE/);
  });

  it('a recording cut off mid-line keeps what came before; other damage names the line', () => {
    const header = JSON.stringify({
      format: 'dashwire-recording',
      version: 1,
      startedAt: '2026-01-01T00:00:00Z',
      url: 'ws://h/',
      preset: null,
    });
    const open = JSON.stringify({ t: 1, conn: 1, kind: 'open' });
    expect(parseRecording(`${header}\n${open}\n{"t":2,"conn":1,"ki`).entries).toHaveLength(1);
    expect(() => parseRecording(`${header}\n{"t":2,"co\n${open}\n${open}\n`)).toThrow(/line 2: not JSON/);
    expect(() => parseRecording(`${header}\n{"t":2,"conn":1,"kind":"teleport"}\n`)).toThrow(RecordingError);
    expect(() => parseRecording(JSON.stringify({ format: 'dashwire-recording', version: 2 }))).toThrow(/newer/);
    expect(() => parseRecording('')).toThrow(/empty/);
  });
});
