import { describe, expect, it } from 'vitest';
import { inferModel } from '../../src/infer/model.js';
import { createModuleWriter } from '../../src/infer/module-writer.js';
import type { Recording } from '../../src/infer/recording.js';

/** A one-connection recording from `url`: a welcome, ticks naming their channel in the type, a pong. */
function recording(url: string, subscribe: boolean): Recording {
  const frames = [{ type: 'hello' }, { type: 'trade_tick', px: 1 }, { type: 'trade_tick', px: 2 }, { type: 'pong' }];
  return {
    header: { format: 'dashwire-recording', version: 1, startedAt: '2026-01-01T00:00:00.000Z', url, preset: null },
    entries: [
      { t: 0, conn: 1, kind: 'connect', url },
      { t: 1, conn: 1, kind: 'open' },
      ...(subscribe ? [{ t: 2, conn: 1, kind: 'out' as const, frame: '{"op":"subscribe","channel":"trades"}' }] : []),
      ...frames.map((f, i) => ({ t: 10 + i, conn: 1, kind: 'in' as const, frame: JSON.stringify(f) })),
    ],
  };
}

describe('createModuleWriter', () => {
  it('keeps the recorded URL without query or fragment, safe inside a comment', () => {
    const w = createModuleWriter(inferModel(recording('wss://h:8/ws/*/x?token=secret#f', false)), true, 'feed');
    expect(w.origin).toBe('wss://h:8/ws/*\\/x');
    expect(createModuleWriter(inferModel(recording('not a url */', false)), true, 'feed').origin).toBe(
      'not a url *\\/',
    );
  });

  it('catalogues events and welcomes, and routes by type only when channels are on the wire', () => {
    const filter = createModuleWriter(inferModel(recording('ws://h/ws', false)), false, 'myFeed');
    expect(filter).toMatchObject({ ts: false, name: 'myFeed', Name: 'MyFeed', disc: 'type' });
    expect(filter.catalogued.map((t) => t.type)).toEqual(['hello', 'trade_tick']);
    expect(filter.routed).toEqual([]);
    const frames = createModuleWriter(inferModel(recording('ws://h/ws', true)), true, 'feed');
    expect(frames.routed.map((t) => [t.type, t.channel])).toEqual([['trade_tick', 'trades']]);
  });

  it('collects lines in order and ends the text with one newline', () => {
    const w = createModuleWriter(inferModel(recording('ws://h/ws', false)), true, 'feed');
    w.line('a');
    w.line();
    w.line('b');
    expect(w.text()).toBe('a\n\nb\n');
  });
});
