import { describe, expect, it } from 'vitest';
import { generateModule, identifierOf } from '../../src/infer/generate.js';
import { detectDiscriminator, detectNesting } from '../../src/infer/discriminator.js';
import { inferModel } from '../../src/infer/model.js';
import type { Recording } from '../../src/infer/recording.js';
import { emitStats, enumThresholds } from '../../src/infer/schema-code.js';
import { emptyStats, observe } from '../../src/infer/shape.js';

const header = {
  format: 'dashwire-recording',
  version: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  url: 'ws://h/ws',
  preset: null,
} as const;

/** A one-connection recording of server frames (objects are JSON-encoded). */
function recordingOf(frames: readonly (object | string)[], out: readonly object[] = []): Recording {
  return {
    header,
    entries: [
      { t: 0, conn: 1, kind: 'connect', url: 'ws://h/ws' },
      { t: 1, conn: 1, kind: 'open' },
      ...out.map((f, i) => ({ t: 2 + i, conn: 1, kind: 'out' as const, frame: JSON.stringify(f) })),
      ...frames.map((f, i) => ({
        t: 100 + i,
        conn: 1,
        kind: 'in' as const,
        frame: typeof f === 'string' ? f : JSON.stringify(f),
      })),
    ],
  };
}

/** The schema code for one field's samples. */
function schemaOf(name: string, samples: readonly unknown[]): string {
  const stats = emptyStats();
  for (const s of samples) observe(stats, s);
  return emitStats(stats, name, { helpers: new Set() }).code;
}

describe('discriminator', () => {
  it('takes the first known name that 90% of messages carry, before any other field', () => {
    const msgs = [
      ...Array.from({ length: 8 }, () => ({ kind: 'a', event: 'x', type: 'tick' })),
      { kind: 'b', event: 'y' },
      { kind: 'b', event: 'y' },
    ];
    expect(detectDiscriminator(msgs)?.key).toBe('event');
    // `type` on 18 of 20: 90%, and it comes first.
    msgs.push(...Array.from({ length: 10 }, () => ({ kind: 'c', event: 'z', type: 'tock' })));
    expect(detectDiscriminator(msgs)?.key).toBe('type');
  });

  it('falls back to another string field every message carries, never to an id that differs on each', () => {
    const msgs = Array.from({ length: 10 }, (_, i) => ({ stream: i % 2 ? 'btc@trade' : 'eth@trade', uid: `u${i}` }));
    expect(detectDiscriminator(msgs)?.key).toBe('stream');
  });

  it('settles for a known name on half the messages when nothing better exists', () => {
    const msgs = [
      ...Array.from({ length: 6 }, () => ({ op: 0, t: 'MESSAGE_CREATE', d: {} })),
      ...Array.from({ length: 4 }, () => ({ op: 11 })),
    ];
    expect(detectDiscriminator(msgs)).toEqual({ key: 't', present: 6, total: 10 });
    expect(detectDiscriminator([{ op: 1 }, { op: 2 }])).toBeUndefined();
  });

  it('finds two-level types when a field on every message tells which ones carry the type', () => {
    const msgs = [
      { op: 'welcome' },
      { op: 'ack', id: 1 },
      ...Array.from({ length: 18 }, (_, i) => ({ op: 'event', type: i % 2 ? 'trade' : 'tick' })),
    ];
    const chosen = detectDiscriminator(msgs)!;
    expect(chosen.key).toBe('type');
    expect(detectNesting(msgs, chosen)).toEqual({
      outer: { key: 'op', present: 20, total: 20 },
      inner: 'type',
      values: ['event'],
    });
    // Not when some `op: "event"` has no type: then it is not the rule.
    expect(detectNesting([...msgs, { op: 'event' }], chosen)).toBeUndefined();
    const model = inferModel(recordingOf(msgs));
    expect(model.types.map((t) => t.type)).toEqual(['welcome', 'ack', 'tick', 'trade']);
    expect(model.frames.untyped).toBe(0);
  });
});

describe('field schemas', () => {
  it(`makes an enum only from ${enumThresholds.minSamples} samples, at most ${enumThresholds.maxValues} values and ${enumThresholds.samplesPerValue} samples per value`, () => {
    const values = (n: number, k: number) => Array.from({ length: n }, (_, i) => `v${i % k}`);
    expect(schemaOf('side', values(enumThresholds.minSamples - 1, 2))).toBe('z.string()');
    expect(schemaOf('side', values(enumThresholds.minSamples, 2))).toBe("z.enum(['v0', 'v1'])");
    expect(schemaOf('side', values(40, enumThresholds.maxValues + 1))).toBe('z.string()');
    expect(schemaOf('side', values(20, 5))).toBe('z.string()'); // 4 samples per value
    expect(
      schemaOf(
        'message',
        Array.from({ length: 30 }, (_, i) => (i % 2 ? 'hello there' : 'bye now')),
      ),
    ).toBe('z.string()');
  });

  it('keeps decimal strings as strings, but not numeric ids', () => {
    expect(schemaOf('price', ['100.50', '99', '-3.25'])).toBe('decimalString');
    expect(schemaOf('order_id', ['100.50', '99'])).toBe('z.string()');
    expect(schemaOf('count', ['1', '2'])).toBe('z.string()');
  });

  it('recognises timestamps: ISO with and without zone, unix seconds and ms in time-named fields only', () => {
    expect(schemaOf('x', ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123+02:00'])).toBe('isoDateTime');
    expect(schemaOf('x', ['2024-10-05T10:30:00', '2024-10-05T10:30:00.123456'])).toBe('naiveDateTime');
    expect(schemaOf('x', ['2024-10-05T10:30:00', '2024-10-05T10:30:00Z'])).toBe('anyDateTime');
    expect(schemaOf('created_at', [1_700_000_000, 1_700_000_001])).toBe('unixSeconds');
    expect(schemaOf('ts', [1_700_000_000_000])).toBe('unixMillis');
    expect(schemaOf('ts', [1_700_000_000, 1_700_000_000_000])).toBe('unixTime');
    expect(schemaOf('volume', [1_700_000_000, 1_700_000_001])).toBe('z.number().int()');
  });

  it('nests objects and arrays, marks optional keys, unions JSON types, and turns id-keyed objects into records', () => {
    expect(schemaOf('x', [{ a: 1, b: [true] }, { a: 2 }])).toBe(
      'z.looseObject({\n  a: z.number().int(), // 2/2; integer 2/2\n  b: z.array(z.boolean()).optional(), // optional: 1/2\n})',
    );
    expect(schemaOf('x', [1, 'one', null])).toBe('z.union([z.number().int(), z.string()]).nullable()');
    expect(schemaOf('x', [null])).toBe('z.unknown()');
    expect(schemaOf('x', [[]])).toBe('z.array(z.unknown())');
    // Keys that change from message to message (ids): a map, not 30 optional fields.
    const maps = [0, 1, 2].map((m) =>
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`acct-${m * 10 + i}`, i])),
    );
    expect(schemaOf('balances', maps)).toBe('z.record(z.string(), z.number().int())');
  });
});

describe('the generated module', () => {
  const frames = [
    { type: 'hello' },
    ...Array.from({ length: 30 }, (_, i) => ({ type: 'tick', id: `t${i}`, px: `${100 + i}.5` })),
    { type: 'pong' },
    { type: 'error', message: 'no' },
  ];

  it('is the same for the same recording, and differs in name only by --name', () => {
    const model = inferModel(recordingOf(frames, [{ type: 'ping' }]));
    const a = generateModule(model, { name: 'feed' });
    expect(generateModule(inferModel(recordingOf(frames, [{ type: 'ping' }])), { name: 'feed' })).toBe(a);
    expect(generateModule(model, { name: 'qqq' }).replaceAll('qqq', 'feed').replaceAll('Qqq', 'Feed')).toBe(a);
  });

  it('decodes pong and error as protocol items, never as events, and keeps `error` out of the catalogue', () => {
    const text = generateModule(inferModel(recordingOf(frames)), { name: 'feed' });
    expect(text).toContain("case 'pong': // pong");
    expect(text).toContain("case 'error': // error");
    expect(text).not.toMatch(/^ {2}error: z\./m);
    expect(text).toContain('tick: (m) => String(m.id)');
  });

  it('turns a user name into an identifier that compiles', () => {
    expect(identifierOf('my-backend')).toBe('myBackend');
    expect(identifierOf('2fast')).toBe('_2fast');
    expect(identifierOf('default')).toBe('defaultPreset');
    expect(identifierOf('decode')).toBe('decodePreset');
    expect(identifierOf('---')).toBe('inferred');
  });
});
