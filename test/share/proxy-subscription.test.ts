/** A tab's subscription handle: states told by the host, events routed by the proxy. */
import { describe, expect, it } from 'vitest';
import type { EventMeta } from '../../src/client/message-types.js';
import type { SubscriptionState } from '../../src/client/types.js';
import { DashwireError } from '../../src/errors.js';
import type { EventCatalog } from '../../src/events.js';
import { ProxySubscription } from '../../src/share/proxy-subscription.js';

function setup(channel = 'trades', params: Record<string, unknown> = {}) {
  const threw: string[] = [];
  const released: number[] = [];
  const sub = new ProxySubscription<EventCatalog>(
    7,
    channel,
    params,
    (error, event) => threw.push(`${event}: ${(error as Error).message}`),
    (s) => {
      released.push(s.sid);
      s.setState('unsubscribed');
    },
  );
  const states: string[] = [];
  sub.onState((state, error) => states.push(error ? `${state} (${error.code})` : state));
  return { sub, threw, released, states };
}

const meta: EventMeta = { type: 'trade_executed', channel: 'trades' };

describe('proxy subscription', () => {
  it('ready resolves when the host says subscribed; a host that goes away makes it pending, then subscribed again', async () => {
    const { sub, states } = setup();
    expect(sub.state).toBe('pending');
    sub.setState('subscribed');
    await expect(sub.ready).resolves.toBeUndefined();
    sub.setState('pending');
    sub.setState('subscribed');
    expect(states).toEqual(['subscribed', 'pending', 'subscribed']);
  });

  it('a refusal rejects ready with the error; an errored subscription only moves through pending', async () => {
    const { sub, states } = setup();
    const refused = new DashwireError('subscribe_failed', 'no such channel');
    sub.setState('error', refused);
    await expect(sub.ready).rejects.toBe(refused);
    expect(sub.error).toBe(refused);
    sub.setState('subscribed'); // not from error
    sub.setState('pending');
    sub.setState('subscribed');
    expect(sub.error).toBeUndefined();
    expect(states).toEqual(['error (subscribe_failed)', 'pending', 'subscribed']);
  });

  const moves: [SubscriptionState, SubscriptionState, boolean][] = [
    ['pending', 'subscribed', true],
    ['pending', 'error', true],
    ['subscribed', 'error', true],
    ['subscribed', 'pending', true],
    ['error', 'pending', true],
    ['error', 'subscribed', false],
    ['subscribed', 'unsubscribed', true],
  ];
  it.each(moves)('%s -> %s allowed: %s', (from, to, allowed) => {
    const { sub } = setup();
    if (from !== 'pending') sub.setState(from, new DashwireError('subscribe_failed', 'x'));
    sub.setState(to, new DashwireError('subscribe_failed', 'x'));
    expect(sub.state).toBe(allowed ? to : from);
  });

  it('unsubscribe: released once, final, ready rejects if it never confirmed', async () => {
    const { sub, released, states } = setup();
    sub.unsubscribe();
    sub.unsubscribe();
    sub.setState('subscribed');
    expect(released).toEqual([7]);
    expect(sub.state).toBe('unsubscribed');
    expect(states).toEqual(['unsubscribed']);
    await expect(sub.ready).rejects.toMatchObject({ code: 'client_closed' });
  });

  it('routes events of its channel that the protocol matches to its params; channel-less ones only through matches', () => {
    const { sub } = setup('trades', { symbol: 'AAPL' });
    const bySymbol = {
      matches: (_channel: string, params: Record<string, unknown>, _type: string, data: unknown) =>
        (data as { symbol: string }).symbol === params.symbol,
    };
    expect(sub.wants({}, 'trade_executed', { symbol: 'MSFT' }, 'trades')).toBe(true);
    expect(sub.wants({}, 'trade_executed', { symbol: 'AAPL' }, 'prices')).toBe(false);
    expect(sub.wants({}, 'trade_executed', { symbol: 'AAPL' }, undefined)).toBe(false);
    expect(sub.wants(bySymbol, 'trade_executed', { symbol: 'AAPL' }, 'trades')).toBe(true);
    expect(sub.wants(bySymbol, 'trade_executed', { symbol: 'MSFT' }, 'trades')).toBe(false);
    expect(sub.wants(bySymbol, 'trade_executed', { symbol: 'AAPL' }, undefined)).toBe(true);
  });

  it('delivers to every handler even when one throws, and records when', () => {
    const { sub, threw } = setup();
    const got: unknown[] = [];
    sub.on('trade_executed', () => {
      throw new Error('boom');
    });
    sub.on('trade_executed', (data: unknown) => got.push(data));
    expect(sub.lastEventAt).toBeUndefined();
    const before = Date.now();
    sub.deliver('trade_executed', { id: 1 }, meta);
    expect(got).toEqual([{ id: 1 }]);
    expect(threw).toEqual(['trade_executed: boom']);
    expect(sub.lastEventAt!.getTime()).toBeGreaterThanOrEqual(before);
  });
});
