// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Client, type DashboardEvents } from '../../src/index.js';
import {
  createDashwireHooks,
  DashwireProvider,
  useConnectionState,
  useEvent,
  useEventLog,
  useLatest,
  useSubscription,
  type Coalesce,
} from '../../src/react/index.js';
import { price, scriptedServer } from '../helpers/scripted-server.js';
import { advance, settle, trade, useFakeClock } from './setup.js';

const url = 'ws://feed.test/ws';
type Counter = { count: number };

function Price({ client, symbol, renders }: { client: Client<DashboardEvents>; symbol: string; renders?: Counter }) {
  if (renders) renders.count++;
  const tick = useLatest(client, 'price_update', symbol);
  return <span data-testid={`price-${symbol}`}>{tick ? `${tick.symbol}=${tick.price}` : 'none'}</span>;
}

function Feed({ children }: { children: React.ReactNode; coalesce?: Coalesce }) {
  useSubscription('prices');
  useSubscription('trades');
  return <>{children}</>;
}

async function setup(coalesce?: Coalesce) {
  const server = scriptedServer();
  const client = createClient({ url, transport: server.transport });
  const wrap = (ui: React.ReactNode) => (
    <DashwireProvider client={client} coalesce={coalesce}>
      <Feed>{ui}</Feed>
    </DashwireProvider>
  );
  return { server, client, wrap };
}

describe('dashwire/react hooks', () => {
  beforeEach(useFakeClock);
  afterEach(async () => {
    cleanup();
    vi.useRealTimers();
  });

  it('useConnectionState and useLatest show values as events arrive, keyed by symbol', async () => {
    const { server, client, wrap } = await setup();
    function Status() {
      return <span data-testid="state">{useConnectionState()}</span>;
    }
    const sol: Counter = { count: 0 };
    render(
      wrap(
        <>
          <Status />
          <Price client={client} symbol="SOL" renders={sol} />
          <Price client={client} symbol="BTC" />
        </>,
      ),
    );
    expect(screen.getByTestId('price-SOL').textContent).toBe('none');
    await settle();
    expect(screen.getByTestId('state').textContent).toBe('open');
    server.event('prices', 1, 'price_update', price('SOL', '101.5'));
    server.event('prices', 2, 'price_update', price('BTC', '60000.1'));
    await settle();
    await advance();
    expect(screen.getByTestId('price-SOL').textContent).toBe('SOL=101.5');
    expect(screen.getByTestId('price-BTC').textContent).toBe('BTC=60000.1');
    const before = sol.count;
    server.event('prices', 3, 'price_update', price('BTC', '60001.0'));
    await settle();
    await advance();
    expect(screen.getByTestId('price-BTC').textContent).toBe('BTC=60001.0');
    expect(sol.count).toBe(before); // another key's updates do not re-render the SOL cell
    await act(() => client.close());
    expect(screen.getByTestId('state').textContent).toBe('closed');
  });

  it('a burst of 1,000 events over 200 assets re-renders each consumer once, on the next frame', async () => {
    const { server, client, wrap } = await setup();
    const symbols = Array.from({ length: 200 }, (_, i) => `A${i}`);
    const counters = symbols.map(() => ({ count: 0 }));
    render(wrap(symbols.map((s, i) => <Price key={s} client={client} symbol={s} renders={counters[i]} />)));
    await settle();
    const initial = counters.map((c) => c.count);
    for (let i = 0; i < 1_000; i++) server.event('prices', i + 1, 'price_update', price(symbols[i % 200]!, `${i}.0`));
    await settle();
    expect(counters.map((c) => c.count)).toEqual(initial); // nothing before the frame
    await advance();
    expect(counters.map((c, i) => c.count - initial[i]!)).toEqual(symbols.map(() => 1));
    expect(screen.getByTestId('price-A7').textContent).toBe('A7=807.0');
    expect(screen.getByTestId('price-A199').textContent).toBe('A199=999.0');
    await advance(100);
    expect(counters.map((c, i) => c.count - initial[i]!)).toEqual(symbols.map(() => 1));
    await client.close();
  });

  it.each<[string, Coalesce, number]>([
    ['frame', 'frame', 70],
    ['50 ms', 50, 21],
  ])('a steady 1,000 msg/s feed re-renders a useLatest consumer at most once per %s', async (_name, coalesce, most) => {
    const { server, client, wrap } = await setup(coalesce);
    const renders: Counter = { count: 0 };
    render(wrap(<Price client={client} symbol="A0" renders={renders} />));
    await settle();
    const start = renders.count;
    // One second of feed, one event per millisecond, every event for the watched asset.
    for (let i = 1; i <= 1_000; i++) {
      server.event('prices', i, 'price_update', price('A0', `${i}.0`));
      await advance(1);
    }
    await advance(50);
    expect(screen.getByTestId('price-A0').textContent).toBe('A0=1000.0');
    expect(renders.count - start).toBeGreaterThan(5);
    expect(renders.count - start).toBeLessThanOrEqual(most);
    await client.close();
  });

  it('coalesce={false} renders every event (the control for the tests above)', async () => {
    const { server, client, wrap } = await setup(false);
    const renders: Counter = { count: 0 };
    render(wrap(<Price client={client} symbol="A0" renders={renders} />));
    await settle();
    const start = renders.count;
    for (let i = 1; i <= 100; i++) {
      server.event('prices', i, 'price_update', price('A0', `${i}.0`));
      await advance(1);
    }
    expect(renders.count - start).toBe(100);
    await client.close();
  });

  it('useEventLog keeps the last N events in arrival order, with a stable array between events', async () => {
    const { server, client, wrap } = await setup();
    const seen: (readonly unknown[])[] = [];
    function Trades() {
      const log = useEventLog(client, 'trade', { limit: 3 });
      seen.push(log);
      return <span data-testid="log">{log.map((t) => t.id).join(',')}</span>;
    }
    const { rerender } = render(wrap(<Trades />));
    await settle();
    expect(screen.getByTestId('log').textContent).toBe('');
    for (let i = 1; i <= 5; i++) server.event('trades', i, 'trade', trade(`t${i}`));
    await settle();
    await advance();
    expect(screen.getByTestId('log').textContent).toBe('t3,t4,t5');
    const shown = seen.at(-1);
    rerender(wrap(<Trades />));
    expect(seen.at(-1)).toBe(shown);
    for (let i = 6; i <= 12; i++) server.event('trades', i, 'trade', trade(`t${i}`));
    await settle();
    await advance();
    expect(screen.getByTestId('log').textContent).toBe('t10,t11,t12');
    expect(Object.isFrozen(seen.at(-1))).toBe(true);
    await client.close();
  });

  it('useSubscription goes pending → subscribed, and shows a refusal as error', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    function Sub({ channel }: { channel: string }) {
      const { state, error } = useSubscription(channel);
      return <span data-testid={channel}>{error ? `${state}: ${error.message}` : state}</span>;
    }
    render(
      <DashwireProvider client={client}>
        <Sub channel="prices" />
      </DashwireProvider>,
    );
    expect(screen.getByTestId('prices').textContent).toBe('pending');
    await settle();
    expect(screen.getByTestId('prices').textContent).toBe('subscribed');

    server.setAnswer(false);
    render(
      <DashwireProvider client={client}>
        <Sub channel="vault" />
      </DashwireProvider>,
    );
    await settle();
    expect(screen.getByTestId('vault').textContent).toBe('pending');
    const request = server.ops('subscribe').find((f) => f.channel === 'vault');
    server.send({ op: 'error', id: request?.id, code: 'forbidden', message: 'not allowed' });
    await settle();
    expect(screen.getByTestId('vault').textContent).toBe('error: not allowed');
    await client.close();
  });

  it('useEvent calls the latest handler without re-registering when it changes each render', async () => {
    const { server, client, wrap } = await setup();
    const on = vi.spyOn(client, 'on');
    const got: string[] = [];
    function Ticker({ label }: { label: string }) {
      const renders = useRef(0);
      renders.current++;
      useEvent(client, 'price_update', (tick) => got.push(`${label}:${tick.price}`));
      return <span>{renders.current}</span>;
    }
    const { rerender } = render(wrap(<Ticker label="a" />));
    await settle();
    server.event('prices', 1, 'price_update', price('SOL', '1.0'));
    await settle();
    rerender(wrap(<Ticker label="b" />));
    rerender(wrap(<Ticker label="c" />));
    server.event('prices', 2, 'price_update', price('SOL', '2.0'));
    await settle();
    expect(got).toEqual(['a:1.0', 'c:2.0']);
    expect(on.mock.calls.filter(([type]) => type === 'price_update')).toHaveLength(1);
    expect(server.ops('subscribe')).toHaveLength(2); // prices + trades, once each
    await client.close();
  });

  it('createDashwireHooks<E>() hooks read the provider client, typed by the catalogue', async () => {
    const { server, client, wrap } = await setup();
    const hooks = createDashwireHooks<DashboardEvents>();
    const alerts: string[] = [];
    function Panel() {
      const tick = hooks.useLatest('price_update', 'ETH');
      const trades = hooks.useEventLog('trade', { limit: 2 });
      hooks.useEvent('trade', (t) => alerts.push(t.side));
      const same = hooks.useClient() === client;
      return (
        <span data-testid="panel">{`${hooks.useConnectionState()}|${same}|${tick?.price ?? '-'}|${trades.map((t) => t.id).join(',')}`}</span>
      );
    }
    render(wrap(<Panel />));
    await settle();
    server.event('prices', 1, 'price_update', price('ETH', '3000.5'));
    server.event('trades', 1, 'trade', trade('x1'));
    server.event('trades', 2, 'trade', trade('x2'));
    server.event('trades', 3, 'trade', trade('x3'));
    await settle();
    await advance();
    expect(screen.getByTestId('panel').textContent).toBe('open|true|3000.5|x2,x3');
    expect(alerts).toEqual(['buy', 'buy', 'buy']);
    await client.close();
  });
});
