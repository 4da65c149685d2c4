import { describe, expect, it } from 'vitest';
import { tallyTypes, typeSplitter } from '../../src/infer/type-tally.js';

describe('typeSplitter', () => {
  it('takes the type off the message and leaves the payload', () => {
    const split = typeSplitter('type', undefined);
    expect(split({ type: 'tick', px: 1 })).toEqual({ type: 'tick', payload: { px: 1 } });
    expect(split({ type: 5, px: 1 })).toBeUndefined();
    expect(split({ px: 1 })).toBeUndefined();
  });

  it('reads two-level types one field down for the listed outer values only', () => {
    const split = typeSplitter('op', { inner: 'type', values: ['event'] });
    expect(split({ op: 'event', type: 'trade', px: 1 })).toEqual({ type: 'trade', payload: { px: 1 } });
    expect(split({ op: 'welcome', type: 'x' })).toEqual({ type: 'welcome', payload: { type: 'x' } });
    expect(split({ op: 'event', px: 1 })).toBeUndefined();
  });
});

describe('tallyTypes', () => {
  it('counts per type in order of first appearance: connections, per connection, paths, first on a connection', () => {
    const server = [
      { conn: 1, msg: { type: 'hello' } },
      { conn: 1, msg: { type: 'tick', px: 1 } },
      { conn: 2, msg: { type: 'tick', px: 2 } },
      { conn: 2, msg: { kind: 'untyped' } },
      { conn: 2, msg: { type: 'tick' } },
    ];
    const paths = new Map([
      [1, '/a'],
      [2, '/b'],
    ]);
    const { tallies, untyped } = tallyTypes(server, typeSplitter('type', undefined), (conn) => paths.get(conn)!);
    expect(untyped).toBe(1);
    expect([...tallies.keys()]).toEqual(['hello', 'tick']);
    const tick = tallies.get('tick')!;
    expect(tick.count).toBe(3);
    expect([...tick.conns]).toEqual([1, 2]);
    expect([...tick.perConn]).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect([...tick.paths]).toEqual([
      ['/a', 1],
      ['/b', 2],
    ]);
    expect(tick.firstOn).toBe(1);
    expect(tallies.get('hello')!.firstOn).toBe(1);
    // The payload shape: px on 2 of the 3 ticks.
    expect(tick.stats.objects?.fields.get('px')?.count).toBe(2);
    expect(tick.stats.objects?.fields.has('type')).toBe(false);
  });
});
