// Type-level tests (checked by `tsc`): payload types flow from the client's catalogue.
import { expectTypeOf } from 'vitest';
import type { Client, DashboardEvents, StateChange } from '../../src/index.js';
import {
  createDashwireHooks,
  useEvent,
  useEventLog,
  useLatest,
  useSubscription,
  type SubscriptionStatus,
} from '../../src/react/index.js';

type Tick = { symbol: string; price: string; change_24h: string; ts: number };

export function typedFromClient(client: Client<DashboardEvents>): void {
  expectTypeOf(useLatest(client, 'price_update', 'SOL')).toEqualTypeOf<Tick | undefined>();
  expectTypeOf(useEventLog(client, 'trade', { limit: 5 })[0]!.side).toEqualTypeOf<'buy' | 'sell'>();
  useEvent(client, 'alert', (alert) => expectTypeOf(alert.severity).toEqualTypeOf<'info' | 'warning' | 'critical'>());
  useEvent(client, 'state', (change) => expectTypeOf(change).toEqualTypeOf<StateChange>());
  expectTypeOf(useSubscription(client, 'prices', { symbols: ['SOL'] })).toEqualTypeOf<SubscriptionStatus>();
  // @ts-expect-error not a message type of the catalogue
  useLatest(client, 'price_updte');
  // @ts-expect-error wrong payload field
  useEvent(client, 'trade', (t) => t.nope);
}

export function fromContext(): void {
  expectTypeOf(useLatest('price_update', 'SOL')).toEqualTypeOf<unknown>();
  useEvent('state', (change) => expectTypeOf(change).toEqualTypeOf<StateChange>());
  useEvent('anything', (payload) => expectTypeOf(payload).toEqualTypeOf<unknown>());
}

const hooks = createDashwireHooks<DashboardEvents>();
export function fromFactory(): void {
  expectTypeOf(hooks.useLatest('price_update', 'SOL')).toEqualTypeOf<Tick | undefined>();
  expectTypeOf(hooks.useEventLog('portfolio_value')).toEqualTypeOf<
    readonly { account: string; total_usd: string; change_24h: string; positions: number; ts: number }[]
  >();
  expectTypeOf(hooks.useClient()).toEqualTypeOf<Client<DashboardEvents> | undefined>();
  // @ts-expect-error not a message type of the catalogue
  hooks.useEvent('nope', () => {});
}
