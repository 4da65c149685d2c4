// Type-level tests (checked by `tsc`): a preset's `events` override replaces the preset's
// inferred payload for that type in handlers; the other types keep the preset's.
import { expectTypeOf } from 'vitest';
import * as z from 'zod';
import { createClient, presets } from '../../src/index.js';

const tick = z.object({ data: z.object({ symbol: z.string(), last: z.string() }), timestamp: z.string() });

export function sentioOverride(): void {
  const plain = createClient({ url: 'ws://x', protocol: presets.sentio(), lazy: true });
  plain.on('market_data', (m) => expectTypeOf(m).toEqualTypeOf<unknown>());
  plain.on('admin_update', (m) => expectTypeOf(m.kind).toEqualTypeOf<string>());

  const client = createClient({
    url: 'ws://x',
    protocol: presets.sentio({ events: { market_data: tick } }),
    lazy: true,
  });
  client.on('market_data', (m) =>
    expectTypeOf(m).toEqualTypeOf<{ data: { symbol: string; last: string }; timestamp: string }>(),
  );
  client.on('earnings', (m) => expectTypeOf(m.data.daily_pnl).toEqualTypeOf<number>());
  client.subscribe('market-data').on('market_data', (m) => expectTypeOf(m.data.last).toEqualTypeOf<string>());
  expectTypeOf(client.latest('market_data')).toEqualTypeOf<
    { data: { symbol: string; last: string }; timestamp: string } | undefined
  >();
  // @ts-expect-error the override's type has no `price`
  client.on('market_data', (m) => m.data.price);
}

export function everyPresetTakesEvents(): void {
  const rich = z.object({ asset: z.string(), price: z.number() });
  const crypto = createClient({
    url: 'ws://x',
    protocol: presets.cryptoPortfolio({ events: { price_update: rich } }),
    lazy: true,
  });
  crypto.on('price_update', (m) => expectTypeOf(m.price).toEqualTypeOf<number>());
  crypto.on('trade_executed', (m) => expectTypeOf(m.price).toEqualTypeOf<string>());

  const ares = createClient({
    url: 'ws://x',
    protocol: presets.ares({
      events: { alert: z.object({ data: z.object({ level: z.enum(['info', 'critical']) }) }) },
    }),
    lazy: true,
  });
  ares.on('alert', (m) => expectTypeOf(m.data.level).toEqualTypeOf<'info' | 'critical'>());
  ares.on('signal', (m) => expectTypeOf(m.data.confidence).toEqualTypeOf<number>());

  const feed = createClient({
    url: 'ws://x',
    protocol: presets.channelFeed({
      events: { trades_update: z.object({ data: z.array(z.object({ id: z.string() })) }) },
    }),
    lazy: true,
  });
  feed.on('trades_update', (m) => expectTypeOf(m.data[0]!.id).toEqualTypeOf<string>());
  feed.on('positions_update', (m) => expectTypeOf(m.data).toEqualTypeOf<unknown>());

  const tracker = createClient({
    url: 'ws://x',
    protocol: presets.agentTracker({
      events: {
        agentUpdate: z.object({ data: z.object({ agentId: z.string() }) }),
        riskAlert: z.object({ data: z.object({ level: z.string() }) }),
      },
    }),
    lazy: true,
  });
  tracker.on('agentUpdate', (m) => expectTypeOf(m.data.agentId).toEqualTypeOf<string>());
  tracker.on('riskAlert', (m) => expectTypeOf(m.data.level).toEqualTypeOf<string>());
  tracker.on('taskUpdate', (m) => expectTypeOf(m.data.status).toEqualTypeOf<string | undefined>());

  // @ts-expect-error a reserved name cannot be an override
  presets.sentio({ events: { error: z.object({}) } });
}

export function declaredFieldsStayTyped(): void {
  const client = createClient({ url: 'ws://x', protocol: presets.cryptoPortfolio(), lazy: true });
  // Extra fields arrive at run time, but the type lists the declared ones: a typo is still an error.
  // @ts-expect-error not a declared field
  client.on('price_update', (m) => m.pirce);
}

export function optionsWithoutEventsKeepThePresetTypes(): void {
  const client = createClient({
    url: 'ws://x',
    protocol: presets.sentio({ heartbeat: { intervalMs: 5_000 } }),
    lazy: true,
  });
  client.on('market_data', (m) => expectTypeOf(m).toEqualTypeOf<unknown>());
  client.on('earnings', (m) => expectTypeOf(m.data.portfolio_value).toEqualTypeOf<number>());
}
