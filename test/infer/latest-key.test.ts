import { describe, expect, it } from 'vitest';
import { keyOf } from '../../src/infer/latest-key.js';
import { emptyStats, observe } from '../../src/infer/shape.js';

const keyFor = (samples: readonly unknown[]) => {
  const stats = emptyStats();
  for (const s of samples) observe(stats, s);
  return keyOf(stats);
};

describe('keyOf (the latest() key guess)', () => {
  it('prefers id, then *_id / *Id, then names like symbol, and a top-level match over the same one down', () => {
    expect(keyFor([{ symbol: 'A', order_id: 1, id: 'x' }])).toEqual(['id']);
    expect(keyFor([{ symbol: 'A', orderId: 1 }])).toEqual(['orderId']);
    expect(keyFor([{ px: 1, symbol: 'A' }])).toEqual(['symbol']);
    expect(keyFor([{ data: { id: 1 }, symbol: 'A' }])).toEqual(['data', 'id']);
    expect(keyFor([{ data: { symbol: 'A' }, symbol: 'B' }])).toEqual(['symbol']);
    // One object down ranks just below the same name at the top, above the next kind of name.
    expect(keyFor([{ orderId: 1, data: { id: 2 } }])).toEqual(['data', 'id']);
  });

  it('takes only scalars present in every sample, never timestamps, booleans, nulls or __proto__', () => {
    expect(keyFor([{ id: 1 }, { px: 1 }])).toBeUndefined();
    expect(keyFor([{ id: '2024-01-01T00:00:00Z' }])).toBeUndefined();
    expect(keyFor([{ id: true }])).toBeUndefined();
    expect(keyFor([{ id: null }])).toBeUndefined();
    expect(keyFor([{ id: { a: 1 } }])).toBeUndefined();
    expect(keyFor([JSON.parse('{"__proto__":"x"}')])).toBeUndefined();
    expect(keyFor(['not an object'])).toBeUndefined();
  });

  it('looks one object down only into a field that is always an object', () => {
    expect(keyFor([{ data: { id: 1 } }, { data: 'x' }])).toBeUndefined();
    expect(keyFor([{ data: { id: 1 } }, { data: { id: 2 } }])).toEqual(['data', 'id']);
  });
});
