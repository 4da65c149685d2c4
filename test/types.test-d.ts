import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  aresSchemas,
  channelFeedSchemas,
  createClient,
  cryptoPortfolioSchemas,
  agentTrackerSchemas,
  defineEvents,
  defineProtocol,
  native,
  presets,
  sentioSchemas,
  type Client,
  type EventCatalog,
  type EventMeta,
  type GapInfo,
  type InvalidMessage,
  type StateChange,
} from '../src/index.js';
import { createDashwireHooks, useEvent, useEventLog, useLatest } from '../src/react/index.js';

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

describe('channel names', () => {
  it('are typed where the protocol declares them, with plain strings as the escape hatch', () => {
    const client = createClient({ url: 'ws://x/ws', lazy: true });
    client.subscribe('prices');
    client.subscribe('portfolio', { account: 'acc-main' });
    // @ts-expect-error a typo in a channel of the default catalogue is a compile error
    client.subscribe('pricez');
    const computed: string = ['pri', 'ces'].join('');
    client.subscribe(computed);
  });

  it('are typed for presets; message types count as channels where the preset filters by type', () => {
    const sentio = createClient({ url: 'ws://x', protocol: presets.sentio(), lazy: true });
    // @ts-expect-error not one of Sentio's channels
    sentio.subscribe('price');
    const feed = createClient({ url: 'ws://x/ws', protocol: presets.channelFeed(), lazy: true });
    feed.subscribe('positions');
    // @ts-expect-error not a channel of the channel feed
    feed.subscribe('position');
    const hub = createClient({ url: 'ws://x/ws', protocol: presets.ares(), lazy: true });
    hub.subscribe('all');
    hub.subscribe('trade_closed');
    // @ts-expect-error neither a channel nor a message type of ARES
    hub.subscribe('trade_close');
  });

  it('are any string for a catalogue that declares no channels', () => {
    const client = createClient({
      url: 'ws://x/ws',
      protocol: native({ events: { tick: z.object({ v: z.number() }) } }),
      lazy: true,
    });
    client.subscribe('anything-goes');
  });
});

describe('generic helpers and reserved names', () => {
  it('a helper over any catalogue gets typed lifecycle events', () => {
    function watch<E extends EventCatalog>(client: Client<E>): void {
      client.on('state', (s) => expectTypeOf(s).toEqualTypeOf<StateChange>());
      client.on('invalid', (m) => expectTypeOf(m).toEqualTypeOf<InvalidMessage>());
      client.on('gap', (g) => expectTypeOf(g.fromSeq).toEqualTypeOf<number>());
    }
    watch(createClient({ url: 'ws://x/ws', lazy: true }));
    watch(createClient({ url: 'ws://x', protocol: presets.sentio(), lazy: true }));
  });

  it('rejects a reserved name in an inline native catalogue', () => {
    const bad = () =>
      // @ts-expect-error "gap" is reserved for lifecycle events
      native({ events: { gap: z.object({ n: z.number() }) } });
    void bad;
  });

  it("exports every preset's wire-frame schemas from the package root", () => {
    for (const schemas of [
      cryptoPortfolioSchemas,
      aresSchemas,
      channelFeedSchemas,
      agentTrackerSchemas,
      sentioSchemas,
    ]) {
      expectTypeOf(schemas).toHaveProperty('server');
      expectTypeOf(schemas).toHaveProperty('client');
    }
  });
});

describe('React hooks without a client type', () => {
  it('give unknown payloads, as the docs say', () => {
    const hooks = createDashwireHooks();
    expectTypeOf(hooks.useLatest('price_update')).toEqualTypeOf<unknown>();
    expectTypeOf(hooks.useEventLog('price_update')).toEqualTypeOf<readonly unknown[]>();
    hooks.useEvent('price_update', (payload) => expectTypeOf(payload).toEqualTypeOf<unknown>());
    useEvent('price_update', (payload) => expectTypeOf(payload).toEqualTypeOf<unknown>());
    useEvent('state', (change) => expectTypeOf(change).toEqualTypeOf<StateChange>());
    expectTypeOf(useLatest('price_update')).toEqualTypeOf<unknown>();
    expectTypeOf(useEventLog('price_update')).toEqualTypeOf<readonly unknown[]>();
  });
});
