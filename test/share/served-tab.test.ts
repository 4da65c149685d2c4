/** One tab as a host serves it: posting to it, its handles on the real client, its release. */
import { describe, expect, it } from 'vitest';
import type { Client, Subscription, SubscriptionState } from '../../src/client/types.js';
import { DashwireError } from '../../src/errors.js';
import type { TabMessage } from '../../src/share/messages.js';
import { muteTab, postToTab, releaseTab, serveTab, subscribeTab, unsubscribeTab } from '../../src/share/served-tab.js';
import { RecordingPort } from './fakes.js';

const attach: Extract<TabMessage, { t: 'attach' }> = {
  t: 'attach',
  peer: 'tab-1',
  init: { key: 'k', protocol: { name: 'native' }, options: {}, auth: true },
  cursors: {},
  subs: [],
  listening: ['gap'],
  connect: true,
};

/** A real client's subscribe, reduced to handles whose state the test sets. */
function fakeClient() {
  const handles: {
    channel: string;
    setState(state: SubscriptionState, error?: DashwireError): void;
    released: boolean;
  }[] = [];
  const client = {
    subscribe(channel: string) {
      const listeners = new Set<(state: SubscriptionState, error: DashwireError | undefined) => void>();
      const handle = {
        channel,
        state: 'pending' as SubscriptionState,
        error: undefined as DashwireError | undefined,
        released: false,
        onState(listener: (state: SubscriptionState, error: DashwireError | undefined) => void) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        unsubscribe() {
          handle.released = true;
        },
        setState(state: SubscriptionState, error?: DashwireError) {
          handle.state = state;
          handle.error = error;
          for (const listener of listeners) listener(state, error);
        },
      };
      handles.push(handle);
      return handle as unknown as Subscription;
    },
  } as unknown as Client;
  return { client, handles };
}

describe('served tab', () => {
  it("is made from the tab's attach", () => {
    const port = new RecordingPort();
    const tab = serveTab(port, attach);
    expect(tab).toMatchObject({ id: 'tab-1', port, auth: true });
    expect([...tab.listening]).toEqual(['gap']);
  });

  it('an event payload that cannot cross the port is reported to the tab, not lost silently', () => {
    const port = new RecordingPort();
    const tab = serveTab(port, attach);
    postToTab(tab, { t: 'event', type: 'price_update', data: { at: () => 1 }, meta: { type: 'price_update' } });
    expect(port.posted).toEqual([
      {
        t: 'life',
        event: 'error',
        payload: {
          code: 'unknown',
          message: 'A "price_update" payload could not be passed to this tab',
          details: { type: 'price_update' },
        },
      },
    ]);
  });

  it('one handle per tab subscription, its states forwarded, routing counted per channel', () => {
    const port = new RecordingPort();
    const tab = serveTab(port, attach);
    const { client, handles } = fakeClient();
    expect(subscribeTab(tab, client, { sid: 1, channel: 'prices', params: {} })).toBe(true);
    expect(subscribeTab(tab, client, { sid: 2, channel: 'prices', params: { symbol: 'BTC' } })).toBe(true);
    expect(subscribeTab(tab, client, { sid: 1, channel: 'prices', params: {} })).toBe(false); // repeated sid
    expect(handles).toHaveLength(2);
    handles[0]!.setState('error', new DashwireError('subscribe_failed', 'refused'));
    expect(port.posted).toEqual([
      { t: 'sub', sid: 1, state: 'pending' },
      { t: 'sub', sid: 2, state: 'pending' },
      { t: 'sub', sid: 1, state: 'error', error: { code: 'subscribe_failed', message: 'refused', details: {} } },
    ]);
    expect(tab.channels.get('prices')).toBe(2);

    unsubscribeTab(tab, 1);
    expect(handles[0]!.released).toBe(true);
    expect(tab.channels.get('prices')).toBe(1);
    handles[0]!.setState('unsubscribed');
    expect(port.posted).toHaveLength(3); // a released handle no longer reports
    unsubscribeTab(tab, 2);
    expect(tab.channels.has('prices')).toBe(false);
  });

  it('release: the port goes quiet, the lock wait ends, every handle is released', () => {
    const port = new RecordingPort();
    const tab = serveTab(port, attach);
    port.onmessage = () => {};
    const { client, handles } = fakeClient();
    subscribeTab(tab, client, { sid: 1, channel: 'prices', params: {} });
    subscribeTab(tab, client, { sid: 2, channel: 'trades', params: {} });
    releaseTab(tab);
    expect(port.onmessage).toBeNull();
    expect(tab.stopWatching.signal.aborted).toBe(true);
    expect(handles.map((h) => h.released)).toEqual([true, true]);
    expect(tab.subs.size).toBe(0);
  });

  it('mute: the port goes quiet and the lock wait ends; handles stay', () => {
    const tab = serveTab(new RecordingPort(), attach);
    const { client, handles } = fakeClient();
    subscribeTab(tab, client, { sid: 1, channel: 'prices', params: {} });
    muteTab(tab);
    expect(tab.stopWatching.signal.aborted).toBe(true);
    expect(handles[0]!.released).toBe(false);
  });
});
