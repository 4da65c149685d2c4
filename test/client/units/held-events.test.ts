import { describe, expect, it } from 'vitest';
import { createHeldEvents, type Covered, type Held } from '../../../src/client/held-events.js';
import { flush } from '../../helpers/scripted-server.js';

const held = (type: string, seq: number): Held => ({
  type,
  data: { seq },
  meta: { type, channel: 'prices', seq },
  wires: undefined,
});

/** A work whose settling the test decides. */
function deferred() {
  let settle!: (covered?: Covered) => void;
  const promise = new Promise<Covered | void>((resolve) => (settle = resolve));
  return { work: () => promise, settle };
}

describe('held events (alone)', () => {
  it('a held channel queues its live events until the work settles, then releases them in order with the covers', async () => {
    const holds = createHeldEvents();
    const released: { seqs: number[]; covered: boolean[] }[] = [];
    holds.on('release', (queue, covers) =>
      released.push({
        seqs: queue.map((h) => h.meta.seq!),
        covered: queue.map((h) => covers.some((c) => c(h.type, h.data, h.meta))),
      }),
    );
    expect(holds.queue('prices')).toBeUndefined();
    const snapshot = deferred();
    holds.hold('prices', snapshot.work);
    expect(holds.has('prices')).toBe(true);
    expect(holds.queue('trades')).toBeUndefined();
    expect(holds.queue(undefined)).toBeUndefined();
    holds.queue('prices')!.push(held('price_update', 4), held('price_update', 5));
    await Promise.resolve();
    expect(released).toEqual([]);
    snapshot.settle((_type, _data, meta) => (meta.seq ?? 0) <= 4);
    await flush();
    expect(released).toEqual([{ seqs: [4, 5], covered: [true, false] }]);
    expect(holds.has('prices')).toBe(false);
  });

  it('works queue behind one another; a failing work still releases; forget drops the queue unreleased', async () => {
    const holds = createHeldEvents();
    const released: number[][] = [];
    holds.on('release', (queue) => released.push(queue.map((h) => h.meta.seq!)));
    const first = deferred();
    holds.hold('prices', first.work);
    holds.hold('prices', () => Promise.reject(new Error('resync failed')));
    holds.queue('prices')!.push(held('price_update', 1));
    first.settle();
    await flush();
    expect(released).toEqual([[1]]);

    const third = deferred();
    holds.hold('prices', third.work);
    holds.queue('prices')!.push(held('price_update', 2));
    holds.forget('prices');
    third.settle();
    await flush();
    expect(released).toEqual([[1]]);
    expect(holds.has('prices')).toBe(false);
  });
});
