import { describe, expect, it } from 'vitest';
import { createChannelLog } from '../../src/server/channel-log.js';

describe('channel log', () => {
  it('numbers each channel from 1, independently', () => {
    const log = createChannelLog(10);
    expect(log.append('prices', 'tick', { n: 1 }, 5).seq).toBe(1);
    expect(log.append('prices', 'tick', { n: 2 }, 6)).toEqual({
      channel: 'prices',
      seq: 2,
      type: 'tick',
      data: { n: 2 },
      ts: 6,
    });
    expect(log.append('trades', 'trade', {}, 7).seq).toBe(1);
    expect(log.lastSeq('prices')).toBe(2);
    expect(log.lastSeq('alerts')).toBe(0);
    expect(log.has('trades')).toBe(true);
    expect(log.has('alerts')).toBe(false);
  });

  it('replays what is kept after a cursor, and says when history is gone', () => {
    const log = createChannelLog(3);
    for (let i = 1; i <= 5; i += 1) log.append('prices', 'tick', { i }, i);
    // Kept: seqs 3, 4, 5.
    const recovered = log.replay('prices', 2);
    expect(recovered.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(recovered).toMatchObject({ recovered: true, lastSeq: 5, firstSeq: 3 });
    expect(log.replay('prices', 4).events.map((e) => e.seq)).toEqual([5]);
    expect(log.replay('prices', 5)).toMatchObject({ events: [], recovered: true });
    // Seq 2 was evicted: a client at cursor 1 cannot be caught up.
    expect(log.replay('prices', 1)).toMatchObject({ recovered: false, lastSeq: 5, firstSeq: 3 });
    // A cursor past the last seq is not a position on this channel.
    expect(log.replay('prices', 9).recovered).toBe(false);
  });

  it('replays an unknown channel as empty, recovered only from 0', () => {
    const log = createChannelLog(3);
    expect(log.replay('alerts', 0)).toEqual({ events: [], recovered: true, lastSeq: 0, firstSeq: 1 });
    expect(log.replay('alerts', 1).recovered).toBe(false);
  });
});
