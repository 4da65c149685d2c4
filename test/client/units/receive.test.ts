import { describe, expect, it } from 'vitest';
import { SafeEmitter } from '../../../src/client/emitter.js';
import { createReceive } from '../../../src/client/receive.js';
import { createRegistry } from '../../../src/client/subscriptions.js';
import type { DashwireError } from '../../../src/errors.js';
import { native } from '../../../src/protocol/native.js';
import type { Inbound } from '../../../src/protocol/types.js';
import { price } from '../../helpers/scripted-server.js';

/** The receive path alone: decoded items in, app events and subscription states out. */
function setup() {
  const errors: unknown[] = [];
  const emitter = new SafeEmitter((error) => errors.push(error));
  const registry = createRegistry({ handlerError: (error) => errors.push(error), unsubscribeDelayMs: 0 });
  const protocol = native();
  const receive = createReceive({ protocol, emitter, registry, keys: protocol.keys as never, resync: undefined });
  const seen: string[] = [];
  for (const name of ['price_update', 'unknown', 'invalid', 'gap', 'error'] as const) {
    emitter.on(name, (payload: unknown) =>
      seen.push(
        `${name}:${JSON.stringify(payload, (k, v: unknown) => (k === 'raw' || k === 'issues' ? undefined : v))}`,
      ),
    );
  }
  return { receive, registry, seen, errors };
}

const event = (seq: number, type = 'price_update', data: unknown = price('A', `${seq}`)): Inbound => ({
  kind: 'event',
  channel: 'prices',
  seq,
  type,
  data,
});

describe('receive (alone)', () => {
  it('keeps a cursor per subscribed channel: duplicates dropped, gaps reported, `since` readable', () => {
    const { receive, registry, seen } = setup();
    registry.acquire('prices', {});
    receive.items([event(1), event(2), event(2), event(5)], '', false);
    expect(receive.since('prices')).toBe(5);
    expect(receive.counters).toMatchObject({ frames: 1, received: 3, duplicates: 1 });
    expect(seen.filter((s) => s.startsWith('gap'))).toEqual(['gap:{"channel":"prices","fromSeq":3,"toSeq":4}']);
    receive.forget('prices');
    expect(receive.since('prices')).toBeUndefined();
  });

  it('acks confirm the pending subscription and position a fresh cursor; recovered:false reports the gap', () => {
    const { receive, registry, seen } = setup();
    const sub = registry.acquire('prices', {});
    const wire = [...registry.all()][0]!;
    registry.awaitAck(wire, 7);
    receive.items([{ kind: 'ack', id: 7, channel: 'prices', seq: 10 }], '', false);
    expect(sub.state).toBe('subscribed');
    expect(receive.since('prices')).toBe(10);
    receive.items([{ kind: 'ack', channel: 'prices', seq: 14, recovered: false }], '', false);
    expect(seen).toContain('gap:{"channel":"prices","fromSeq":11,"toSeq":14}');
  });

  it('an error answering a subscribe refuses that subscription and is reported as server_error', async () => {
    const { receive, registry, seen } = setup();
    const sub = registry.acquire('prices', {});
    registry.awaitAck([...registry.all()][0]!, 3);
    receive.items([{ kind: 'error', id: 3, code: 'forbidden', message: 'no' }], '', false);
    expect(sub.state).toBe('error');
    await expect(sub.ready).rejects.toMatchObject({ code: 'subscribe_failed' });
    expect(receive.counters.serverErrors).toBe(1);
    expect(seen.some((s) => s.startsWith('error:'))).toBe(true);
  });

  it('routes to the handles whose params match, every event to client handlers', () => {
    const { receive, registry, seen } = setup();
    const got: string[] = [];
    registry
      .acquire('prices', { symbols: ['B'] })
      .on('price_update', (p) => got.push((p as { symbol: string }).symbol));
    receive.items([event(1, 'price_update', price('A', '1')), event(2, 'price_update', price('B', '2'))], '', false);
    expect(got).toEqual(['B']);
    expect(seen.filter((s) => s.startsWith('price_update'))).toHaveLength(2);
    expect(receive.latest('price_update', 'A')).toMatchObject({ price: '1' });
  });

  it('rejected events (unknown, schema, malformed with envelope) consume their seq', () => {
    const { receive, registry, seen } = setup();
    registry.acquire('prices', {});
    receive.items(
      [
        event(1),
        event(2, 'new_type'),
        event(3, 'price_update', { symbol: 1 }),
        { kind: 'malformed', detail: 'x', channel: 'prices', seq: 4 },
        event(5),
      ],
      '',
      false,
    );
    expect(seen.filter((s) => s.startsWith('gap'))).toEqual([]);
    expect(receive.since('prices')).toBe(5);
    expect(receive.counters).toMatchObject({ received: 2, unknown: 1, invalid: 2 });
  });

  it("an error naming a channel over polling refuses that channel's subscriptions", () => {
    const { receive, registry } = setup();
    const sub = registry.acquire('prices', {});
    [...registry.all()][0]!.setState('subscribed');
    receive.items([{ kind: 'error', channel: 'prices', code: 'unknown_channel', message: '' }], '', true);
    expect(sub.state).toBe('error');
    expect((sub.error as DashwireError).code).toBe('subscribe_failed');
  });
});
