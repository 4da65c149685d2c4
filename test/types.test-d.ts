import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  createClient,
  defineEvents,
  defineProtocol,
  native,
  type Client,
  type EventMeta,
  type GapInfo,
  type InvalidMessage,
  type StateChange,
} from '../src/index.js';

describe('schema → handler inference', () => {
  it('types handlers of the default native catalogue', () => {
    const client = createClient({ url: 'ws://x/ws', lazy: true });
    client.on('price_update', (tick, meta) => {
      expectTypeOf(tick.price).toEqualTypeOf<string>();
      expectTypeOf(tick.ts).toEqualTypeOf<number>();
      expectTypeOf(meta).toEqualTypeOf<EventMeta>();
    });
    client.on('trade', (t) => expectTypeOf(t.side).toEqualTypeOf<'buy' | 'sell'>());
    client.on('state', (s) => expectTypeOf(s).toEqualTypeOf<StateChange>());
    client.on('invalid', (m) => expectTypeOf(m).toEqualTypeOf<InvalidMessage>());
    client.on('gap', (g) => expectTypeOf(g).toEqualTypeOf<GapInfo>());
    expectTypeOf(client.latest('portfolio_value', 'main')).toEqualTypeOf<
      { account: string; total_usd: string; change_24h: string; positions: number; ts: number } | undefined
    >();
    // @ts-expect-error an unknown event name is a compile error
    client.on('price_updat', () => {});
  });

  it('types handlers of a user catalogue, on the client and on subscriptions', () => {
    const events = defineEvents({
      order_filled: z.object({ id: z.string(), qty: z.string(), venue: z.enum(['nyse', 'lse']) }),
      heartbeat_stats: z.object({ clients: z.number() }),
    });
    const client = createClient({ url: 'ws://x/ws', protocol: native({ events }), lazy: true });
    expectTypeOf(client).toEqualTypeOf<Client<typeof events>>();
    client.on('order_filled', (m) => {
      expectTypeOf(m.qty).toEqualTypeOf<string>();
      expectTypeOf(m.venue).toEqualTypeOf<'nyse' | 'lse'>();
    });
    const sub = client.subscribe('orders');
    sub.on('heartbeat_stats', (m) => expectTypeOf(m.clients).toEqualTypeOf<number>());
    // @ts-expect-error not in this catalogue
    sub.on('price_update', () => {});
  });

  it('rejects reserved names in catalogues at compile time', () => {
    const bad = () =>
      // @ts-expect-error "error" is reserved for lifecycle events
      defineEvents({ error: z.object({ message: z.string() }) });
    void bad;
  });

  it('defineProtocol keeps the catalogue types', () => {
    const events = defineEvents({ tick: z.object({ v: z.number() }) });
    const protocol = defineProtocol({
      ...native({ events }),
      name: 'custom',
    });
    const client = createClient({ url: 'ws://x', protocol, lazy: true });
    client.on('tick', (m) => expectTypeOf(m.v).toEqualTypeOf<number>());
  });
});
