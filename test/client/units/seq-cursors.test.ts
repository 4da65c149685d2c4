import { describe, expect, it } from 'vitest';
import type { SeqGap } from '../../../src/client/message-types.js';
import { createSeqCursors } from '../../../src/client/seq-cursors.js';

/** The cursors alone, for channels `prices` and `trades` subscribed (unless `subscribed` says otherwise). */
function setup(options: { resumable?: boolean; resume?: Record<string, number>; subscribed?: string[] } = {}) {
  const subscribed = new Set(options.subscribed ?? ['prices', 'trades']);
  const cursors = createSeqCursors({
    resumable: options.resumable ?? true,
    registry: { hasChannel: (channel) => subscribed.has(channel) },
    resume: options.resume,
  });
  const gaps: SeqGap[] = [];
  cursors.on('gap', (gap) => gaps.push(gap));
  return { cursors, gaps };
}

describe('seq cursors (alone)', () => {
  it('consume: in order passes, a replayed seq is a duplicate, a jump reports the gap before it returns', () => {
    const { cursors, gaps } = setup();
    const order: string[] = [];
    cursors.on('gap', (gap) => order.push(`gap ${gap.fromSeq}-${gap.toSeq}`));
    expect([1, 2, 2, 1].map((seq) => cursors.consume('prices', seq))).toEqual([true, true, false, false]);
    order.push(`consumed ${String(cursors.consume('prices', 6))}`);
    expect(order).toEqual(['gap 3-5', 'consumed true']);
    expect(gaps).toEqual([{ channel: 'prices', fromSeq: 3, toSeq: 5 }]);
    expect(cursors.since('prices')).toBe(6);
    expect(cursors.since('trades')).toBeUndefined();
  });

  it('leaves alone what it does not track: no seq, no channel, unsubscribed channel, non-resumable protocol', () => {
    const { cursors, gaps } = setup({ subscribed: ['prices'] });
    expect(cursors.consume(undefined, 4)).toBe(true);
    expect(cursors.consume('prices', undefined)).toBe(true);
    expect(cursors.consume('alerts', 9)).toBe(true);
    expect(cursors.consume('alerts', 9)).toBe(true);
    expect(cursors.since('alerts')).toBeUndefined();
    const plain = setup({ resumable: false });
    plain.cursors.consume('prices', 5);
    plain.cursors.consume('prices', 5);
    plain.cursors.acked('prices', 3, false);
    expect(plain.cursors.since('prices')).toBeUndefined();
    expect([...gaps, ...plain.gaps]).toEqual([]);
  });

  it('acked: a fresh channel starts at the ack; recovered:false reports what cannot be replayed', () => {
    const { cursors, gaps } = setup();
    cursors.acked('prices', 10, undefined);
    expect(cursors.since('prices')).toBe(10);
    cursors.acked('prices', 12, true); // resumed: the replay follows, the cursor stays
    expect(cursors.since('prices')).toBe(10);
    cursors.acked('prices', 14, false);
    expect(cursors.since('prices')).toBe(14);
    expect(gaps).toEqual([{ channel: 'prices', fromSeq: 11, toSeq: 14 }]);
  });

  it("acked behind the cursor: the server's history restarted, its position is adopted and all of it is a gap", () => {
    const { cursors, gaps } = setup({ resume: { prices: 50 } });
    expect(cursors.since('prices')).toBe(50);
    cursors.acked('prices', 3, false);
    expect(cursors.since('prices')).toBe(3);
    expect(cursors.consume('prices', 4)).toBe(true); // not a duplicate of the old history
    expect(gaps).toEqual([{ channel: 'prices', fromSeq: 1, toSeq: 3 }]);
  });

  it('advance moves forward only; forget starts the channel fresh', () => {
    const { cursors } = setup();
    cursors.consume('prices', 8);
    cursors.advance('prices', 5);
    expect(cursors.since('prices')).toBe(8);
    cursors.advance('prices', 20);
    expect(cursors.since('prices')).toBe(20);
    cursors.forget('prices');
    expect(cursors.since('prices')).toBeUndefined();
    expect(cursors.consume('prices', 1)).toBe(true);
  });
});
