import { describe, expect, it } from 'vitest';
import { envelopeOf } from '../../src/infer/envelope.js';
import { emptyStats, observe, type ShapeStats } from '../../src/infer/shape.js';

const statsOf = (samples: readonly unknown[]): ShapeStats => {
  const stats = emptyStats();
  for (const s of samples) observe(stats, s);
  return stats;
};

describe('envelopeOf', () => {
  it('names the wrapping field when most messages wrap their payload in one', () => {
    const wrapped = statsOf([{ d: { px: 1 } }, { d: { px: 2 } }, { d: 3 }]);
    const flat = statsOf([{ px: 1 }]);
    expect(envelopeOf([wrapped, flat], 't', 0, 4)).toBe('{t, d, …} (3/4 messages wrap their payload)');
  });

  it('is flat when half or fewer wrap, and says how many frames were batches', () => {
    const wrapped = statsOf([{ data: 1 }]);
    const flat = statsOf([{ px: 1 }]);
    expect(envelopeOf([wrapped, flat], 'type', 0, 2)).toBe('flat {type, …fields} (1/2 messages)');
    expect(envelopeOf([flat], 'type', 2, 5)).toBe(
      'flat {type, …fields} (1/1 messages); 2/5 frames are arrays (batches) of messages',
    );
  });

  it('counts a type as wrapped only when every message of it has the field, trying data before payload', () => {
    const sometimes = statsOf([{ data: 1 }, { px: 1 }]);
    expect(envelopeOf([sometimes], 'type', 0, 2)).toBe('flat {type, …fields} (2/2 messages)');
    const both = statsOf([{ payload: 1, data: 2 }]);
    expect(envelopeOf([both], 'type', 0, 1)).toBe('{type, data, …} (1/1 messages wrap their payload)');
  });
});
