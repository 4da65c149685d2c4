import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  isTimeGap,
  type Freshness,
  type GapInfo,
  type ResyncedInfo,
  type SnapshotInfo,
  type StaleInfo,
  type FreshInfo,
} from '../../src/index.js';

// Checked by `npm run typecheck` (tsc over test/): #16's types keep code written for seq gaps compiling.
describe('#16 types', () => {
  it('GapInfo stays arithmetic-safe for seq-gap code and narrows to a time range', () => {
    const client = createClient({ url: 'ws://x/ws', lazy: true });
    client.on('gap', (g) => {
      expectTypeOf(g).toEqualTypeOf<GapInfo>();
      // Existing users: numbers on every gap (a time gap is the empty range 0…-1).
      expectTypeOf(g.fromSeq).toEqualTypeOf<number>();
      expectTypeOf(g.toSeq - g.fromSeq + 1).toEqualTypeOf<number>();
      if (isTimeGap(g)) {
        expectTypeOf(g.from).toEqualTypeOf<Date>();
        expectTypeOf(g.to).toEqualTypeOf<Date>();
      } else {
        expectTypeOf(g.from).toEqualTypeOf<undefined>();
      }
    });
    // A handler written against the old payload shape is still accepted.
    const old = (gap: { channel: string; fromSeq: number; toSeq: number }): void => void gap;
    client.on('gap', old);
  });

  it('snapshot, resynced, stale and fresh are typed lifecycle events; freshness() and lastEventAt', () => {
    const client = createClient({ url: 'ws://x/ws', lazy: true });
    client.on('snapshot', (s) => expectTypeOf(s).toEqualTypeOf<SnapshotInfo>());
    client.on('resynced', (r) => expectTypeOf(r).toEqualTypeOf<ResyncedInfo>());
    client.on('stale', (s) => expectTypeOf(s).toEqualTypeOf<StaleInfo>());
    client.on('fresh', (f) => expectTypeOf(f).toEqualTypeOf<FreshInfo>());
    expectTypeOf(client.freshness('price_update', 'SOL')).toEqualTypeOf<Freshness>();
    const sub = client.subscribe('prices', {}, { snapshot: true, staleAfterMs: 5_000 });
    expectTypeOf(sub.lastEventAt).toEqualTypeOf<Date | undefined>();
    // @ts-expect-error freshness() takes the catalogue's message types only
    client.freshness('nope');
  });
});
