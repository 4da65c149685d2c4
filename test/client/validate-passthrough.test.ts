import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { SafeEmitter } from '../../src/client/emitter.js';
import { passesThrough } from '../../src/client/passes-through.js';
import { createReceive } from '../../src/client/receive.js';
import { createRegistry } from '../../src/client/subscriptions.js';
import type { EventCatalog } from '../../src/events.js';
import { presets } from '../../src/backends/presets.js';
import { native } from '../../src/protocol/native.js';
import { keepExtras } from '../../src/protocol/keep-extras.js';
import type { Protocol } from '../../src/protocol/types.js';

/** The receive path alone, recording the payloads `client.on(type)` handlers get. */
function receiveOf(protocol: Protocol<EventCatalog>, validation: 'compiled' | 'runtime') {
  const emitter = new SafeEmitter(() => {});
  const registry = createRegistry({ handlerError: () => {}, unsubscribeDelayMs: 0 });
  const receive = createReceive({ protocol, emitter, registry, keys: {}, resync: undefined, validation });
  const got: unknown[] = [];
  const invalid: unknown[] = [];
  for (const type of Object.keys(protocol.events)) emitter.on(type, (data: unknown) => got.push(data));
  emitter.on('invalid', (e: unknown) => invalid.push(e));
  const deliver = (type: string, data: unknown) => receive.items([{ kind: 'event', type, data }], '', false);
  return { got, invalid, deliver };
}

describe('validation without a copy: schemas whose valid input comes out unchanged (#15)', () => {
  it('tells schemas that pass their input through from those that build a different value', () => {
    const through: [string, $ZodType][] = [
      ['looseObject of leaves with checks', z.looseObject({ a: z.string().regex(/^\d+$/), n: z.number().int() })],
      ['strictObject', z.strictObject({ a: z.string() })],
      [
        'nested arrays, unions, records, optional, nullable',
        z.looseObject({
          list: z.array(z.looseObject({ id: z.string() })),
          either: z.union([z.literal('a'), z.number()]),
          bag: z.record(z.string(), z.unknown()),
          maybe: z.string().optional().nullable(),
          kind: z.enum(['x', 'y']),
        }),
      ],
      ['refinements (checks that do not change the value)', z.string().refine((s) => s.length > 1)],
    ];
    const builds: [string, $ZodType][] = [
      ['z.object (strips undeclared keys)', z.object({ a: z.string() })],
      ['a z.object nested in a loose one', z.looseObject({ inner: z.object({ a: z.string() }) })],
      ['default', z.looseObject({ a: z.string().default('x') })],
      ['transform', z.string().transform((s) => s.length)],
      ['pipe', z.string().pipe(z.string())],
      ['coerce', z.coerce.number()],
      ['trim (an overwrite check)', z.string().trim()],
      ['readonly (frozen output)', z.looseObject({ a: z.string() }).readonly()],
      ['catchall with a schema', z.object({ a: z.string() }).catchall(z.string())],
      ['lazy', z.lazy(() => z.string())],
    ];
    expect(through.filter(([, s]) => !passesThrough(s)).map(([name]) => name)).toEqual([]);
    expect(builds.filter(([, s]) => passesThrough(s)).map(([name]) => name)).toEqual([]);
  });

  it('every built-in catalogue (the native default, every preset) is checked without a copy', () => {
    const protocols: [string, Protocol<EventCatalog>][] = [
      ['native', native() as unknown as Protocol<EventCatalog>],
      ...Object.entries(presets).map(
        ([name, make]) => [name, (make as () => Protocol<EventCatalog>)()] as [string, Protocol<EventCatalog>],
      ),
    ];
    const copying = protocols.flatMap(([name, protocol]) =>
      Object.entries(protocol.events)
        .filter(([, schema]) => !passesThrough(schema as $ZodType))
        .map(([type]) => `${name}.${type}`),
    );
    expect(copying).toEqual([]);
  });

  it('delivers the decoded value itself, as sent (undeclared fields, key order), equal to what the runtime parser returns', () => {
    const events = { tick: keepExtras({ symbol: z.string(), price: z.string().regex(/^\d+(\.\d+)?$/) }) };
    const protocol = native({ events }) as unknown as Protocol<EventCatalog>;
    const compiled = receiveOf(protocol, 'compiled');
    const runtime = receiveOf(protocol, 'runtime');
    const sent = { venue: 'x', price: '1.5', symbol: 'SOL', meta: { deep: [1, 2] } };
    compiled.deliver('tick', sent);
    runtime.deliver('tick', sent);
    expect(compiled.got[0]).toBe(sent);
    expect(Object.keys(compiled.got[0] as object)).toEqual(['venue', 'price', 'symbol', 'meta']);
    expect(compiled.got).toEqual(runtime.got);
    expect(runtime.got[0]).not.toBe(sent); // the runtime parser builds its own copy

    // Rejected: reported with the issues zod's parser gives, nothing delivered.
    compiled.deliver('tick', { symbol: 7, price: '1,5' });
    runtime.deliver('tick', { symbol: 7, price: '1,5' });
    expect(compiled.got).toHaveLength(1);
    expect(compiled.invalid).toEqual(runtime.invalid);
    expect(compiled.invalid).toHaveLength(1);
  });

  it("a user's z.object still gets its own parsed copy, undeclared keys stripped", () => {
    const events = { tick: z.object({ symbol: z.string() }) };
    const { got, deliver } = receiveOf(native({ events }) as unknown as Protocol<EventCatalog>, 'compiled');
    const sent = { symbol: 'SOL', venue: 'x' };
    deliver('tick', sent);
    expect(got).toEqual([{ symbol: 'SOL' }]);
    expect(got[0]).not.toBe(sent);
  });
});
