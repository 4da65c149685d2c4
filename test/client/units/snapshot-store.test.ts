import { describe, expect, it } from 'vitest';
import { SafeEmitter } from '../../../src/client/emitter.js';
import { createLatestListeners } from '../../../src/client/latest.js';
import { createReceiveCounters } from '../../../src/client/receive-counters.js';
import { createSeqCursors } from '../../../src/client/seq-cursors.js';
import { createSnapshotStore } from '../../../src/client/snapshot-store.js';
import { createTypeRecords } from '../../../src/client/type-records.js';
import { native } from '../../../src/protocol/native.js';
import { price } from '../../helpers/scripted-server.js';

/** The snapshot side of the latest store alone, over the native catalogue (prices keyed by symbol). */
function setup() {
  const protocol = native();
  const emitter = new SafeEmitter(() => {});
  const counters = createReceiveCounters();
  const types = createTypeRecords(protocol.events, protocol.keys as never, 'runtime');
  const cursors = createSeqCursors({ resumable: true, registry: { hasChannel: () => true } });
  const latest = createLatestListeners(() => {});
  const changed: string[] = [];
  latest.listen('price_update', 'A', () => changed.push('A'));
  latest.listen('price_update', 'B', () => changed.push('B'));
  const rejected: string[] = [];
  emitter.on('invalid', (m: { type?: string }) => rejected.push(`invalid ${m.type}`));
  emitter.on('unknown', (m: { type: string }) => rejected.push(`unknown ${m.type}`));
  const store = createSnapshotStore({ types, cursors, emitter, counters, latest, freshness: undefined });
  const value = (key: string) => types.get('price_update')!.byKey.get(key);
  return { store, cursors, counters, changed, rejected, value, types };
}

describe('snapshot store (alone)', () => {
  it('applies the valid items, reports the others, and moves the cursor forward', () => {
    const { store, cursors, counters, rejected, value } = setup();
    const applied = store.apply(
      'prices',
      [
        { type: 'price_update', data: price('A', '1') },
        { type: 'made_up', data: {} },
        { type: 'price_update', data: { symbol: 2 } },
      ],
      30,
    );
    expect(applied).toEqual([{ type: 'price_update', data: price('A', '1') }]);
    expect(value('A')).toEqual(price('A', '1'));
    expect(rejected).toEqual(['unknown made_up', 'invalid price_update']);
    expect(counters).toMatchObject({ unknown: 1, invalid: 1 });
    expect(cursors.since('prices')).toBe(30);
    expect(store.active).toBe(true);
  });

  it('a later snapshot replaces what the channel set before: a key it lacks disappears, and its listeners hear of it', () => {
    const { store, changed, value } = setup();
    expect(store.active).toBe(false);
    store.apply('prices', [{ type: 'price_update', data: price('A', '1') }], undefined);
    store.own('prices', 'price_update', 'B'); // a live event set B after the snapshot
    changed.length = 0;
    store.apply('prices', [{ type: 'price_update', data: price('A', '2') }], undefined);
    expect(value('A')).toEqual(price('A', '2'));
    expect(value('B')).toBeUndefined();
    expect(changed.sort()).toEqual(['A', 'B']);
    store.forget('prices');
    expect(store.active).toBe(false);
  });
});
