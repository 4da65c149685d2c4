// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/index.js';
import { createMemoryServer } from '../../src/testing/memory.js';
import { flush } from '../helpers/scripted-server.js';

/**
 * Browser-side leaks: window and document listeners (online, pageshow, visibilitychange) and
 * timers return to baseline after 1,000 connect/close cycles and 10,000 subscribe/unsubscribe
 * cycles. Listeners are counted by wrapping addEventListener/removeEventListener.
 */

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/** Live listener count on a target, by (type, listener) pair, as the DOM dedupes them. */
function countListeners(target: Target) {
  const live = new Set<string>();
  const ids = new WeakMap<object, number>();
  let next = 0;
  const keyOf = (type: string, fn: unknown): string => {
    if (typeof fn !== 'function' && (typeof fn !== 'object' || fn === null)) return `${type}:none`;
    let id = ids.get(fn);
    if (id === undefined) ids.set(fn, (id = next++));
    return `${type}:${id}`;
  };
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  vi.spyOn(target, 'addEventListener').mockImplementation((type, fn, options) => {
    live.add(keyOf(type, fn));
    add(type, fn, options);
  });
  vi.spyOn(target, 'removeEventListener').mockImplementation((type, fn, options) => {
    live.delete(keyOf(type, fn));
    remove(type, fn, options);
  });
  return () => live.size;
}

describe('no leaked listeners or timers in a browser-like environment (happy-dom, fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('1,000 connect/close cycles leave no window/document listener and no timer behind', async () => {
    const onWindow = countListeners(window);
    const onDocument = countListeners(document);
    const server = createMemoryServer({ protocol: 'native' });
    const timersBefore = vi.getTimerCount();
    let peakWindow = 0;
    for (let i = 0; i < 1_000; i++) {
      const client = createClient({ url: server.url, transport: server.transport });
      client.subscribe('prices').on('price_update', () => {});
      await flush();
      peakWindow = Math.max(peakWindow, onWindow());
      await client.close();
    }
    expect(peakWindow).toBeGreaterThan(0); // the client did listen (the count is not vacuous)
    expect(onWindow()).toBe(0);
    expect(onDocument()).toBe(0);
    expect(vi.getTimerCount()).toBe(timersBefore);
    expect(server.clients).toBe(0);
    await server.close();
  });

  it('10,000 subscribe/unsubscribe cycles leave no timer, no server subscription and one set of listeners', async () => {
    const onWindow = countListeners(window);
    const server = createMemoryServer({ protocol: 'native' });
    const client = createClient({ url: server.url, transport: server.transport, heartbeat: false });
    await flush();
    const listenersOpen = onWindow();
    const timersOpen = vi.getTimerCount();
    for (let i = 0; i < 10_000; i++) {
      const channel: string = `ch-${i % 100}`;
      const sub = client.subscribe(channel);
      const off = sub.on('price_update', () => {});
      if (i % 2 === 0) off();
      sub.unsubscribe();
      if (i % 500 === 0) await flush();
    }
    await flush();
    expect(onWindow()).toBe(listenersOpen);
    expect(vi.getTimerCount()).toBe(timersOpen);
    expect(server.listClients()[0]?.subscriptions.size).toBe(0);
    await client.close();
    expect(onWindow()).toBe(0);
    await server.close();
  });
});
