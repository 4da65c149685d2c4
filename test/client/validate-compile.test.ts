import { describe, expect, it, vi } from 'vitest';
import type { $ZodType } from 'zod/v4/core';
import { SafeEmitter } from '../../src/client/emitter.js';
import { createReceive } from '../../src/client/receive.js';
import { createRegistry } from '../../src/client/subscriptions.js';
import type { EventCatalog } from '../../src/events.js';
import { defineProtocol } from '../../src/protocol/define.js';
import { native } from '../../src/protocol/native.js';
import type { Protocol } from '../../src/protocol/types.js';
import { presets } from '../../src/backends/presets.js';
import * as z from 'zod';

// Counts zod's compile calls (the real compiler still runs).
const compiled = vi.hoisted(() => [] as unknown[]);
vi.mock('zod/v4/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('zod/v4/core')>();
  return {
    ...actual,
    compile: <T extends $ZodType>(schema: T) => {
      compiled.push(schema);
      return actual.compile(schema);
    },
  };
});

function receiveOf(protocol: Protocol, validation: 'compiled' | 'runtime' = 'compiled') {
  const emitter = new SafeEmitter(() => {});
  const registry = createRegistry({ handlerError: () => {}, unsubscribeDelayMs: 0 });
  return createReceive({ protocol, emitter, registry, keys: {}, resync: undefined, validation });
}

const itemsOf = (types: readonly string[]) => types.map((type) => ({ kind: 'event' as const, type, data: {} }));

describe('compiled validation: once per schema, on its first message', () => {
  it('compiles a type when its first message arrives, once, and never a type that does not arrive', () => {
    compiled.length = 0;
    const protocol = native();
    const receive = receiveOf(protocol);
    expect(compiled).toEqual([]); // nothing at creation
    receive.items(itemsOf(['price_update', 'price_update', 'trade']), '', false);
    receive.items(itemsOf(['price_update']), '', false);
    expect(compiled).toEqual([protocol.events.price_update, protocol.events.trade]);
  });

  it("compiles every schema of every preset, the native default and a user's defineProtocol catalogue", () => {
    const own = z.object({ id: z.string() });
    const protocols: Protocol<EventCatalog>[] = [
      native(),
      defineProtocol({ ...native({ events: { mine: own } }), events: { mine: own } }),
      ...Object.values(presets).map((make) => (make as () => Protocol<EventCatalog>)()),
    ];
    for (const protocol of protocols) {
      compiled.length = 0;
      const types = Object.keys(protocol.events);
      receiveOf(protocol).items(itemsOf(types), '', false);
      expect(compiled).toEqual(types.map((t) => protocol.events[t]));
    }
  });

  it('with validation runtime nothing is compiled', () => {
    compiled.length = 0;
    receiveOf(native(), 'runtime').items(itemsOf(['price_update', 'trade']), '', false);
    expect(compiled).toEqual([]);
  });
});
