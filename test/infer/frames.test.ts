import { describe, expect, it } from 'vitest';
import { readFrames } from '../../src/infer/frames.js';
import type { Recording, RecordingEntry } from '../../src/infer/recording.js';

const recording = (entries: RecordingEntry[]): Recording => ({
  header: {
    format: 'dashwire-recording',
    version: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    url: 'ws://h/',
    preset: null,
  },
  entries,
});

describe('readFrames', () => {
  it('unrolls batches, keeps client objects only, and counts what was not JSON either way', () => {
    const frames = readFrames(
      recording([
        { t: 0, conn: 1, kind: 'connect', url: 'ws://h/a' },
        { t: 1, conn: 1, kind: 'open' },
        { t: 2, conn: 1, kind: 'out', frame: '{"op":"sub"}' },
        { t: 3, conn: 1, kind: 'out', frame: '[1]' },
        { t: 4, conn: 1, kind: 'out', frame: 'hello' },
        { t: 5, conn: 1, kind: 'in', frame: '{"type":"a"}' },
        { t: 6, conn: 1, kind: 'in', frame: '[{"type":"b"},2,{"type":"c"}]' },
        { t: 7, conn: 1, kind: 'in', frame: 'not json' },
        { t: 8, conn: 1, kind: 'in', frame: '"text"' },
        { t: 9, conn: 1, kind: 'error', message: 'x' },
      ]),
    );
    expect(frames.server.map((s) => s.msg['type'])).toEqual(['a', 'b', 'c']);
    expect(frames.client).toEqual([{ conn: 1, t: 2, msg: { op: 'sub' } }]);
    expect(frames).toMatchObject({ serverFrames: 3, clientFrames: 2, notJson: 2, batches: 1 });
    expect([...frames.connUrl]).toEqual([[1, 'ws://h/a']]);
  });

  it('measures the longest server silence within a connection, not across connections', () => {
    const frames = readFrames(
      recording([
        { t: 0, conn: 1, kind: 'connect', url: 'ws://h/a' },
        { t: 10, conn: 1, kind: 'in', frame: '{}' },
        { t: 20, conn: 2, kind: 'connect', url: 'ws://h/b' },
        { t: 1_000, conn: 2, kind: 'in', frame: '{}' },
        { t: 1_500, conn: 1, kind: 'in', frame: '{}' },
        { t: 1_600, conn: 2, kind: 'in', frame: '{}' },
      ]),
    );
    expect(frames.maxGap).toBe(1_490);
    expect(frames.server.map((s) => s.conn)).toEqual([1, 2, 1, 2]);
  });
});
