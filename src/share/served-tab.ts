/**
 * One tab as a host serves it: the port it talks over, its subscription handles on the real
 * client, the channels it is routed and the lifecycle events it listens to.
 *
 * Reference counting needs no code of its own here: each tab subscription becomes one handle
 * on the real client, whose registry already subscribes the wire once per (channel, params)
 * and unsubscribes after the last handle (and `unsubscribeDelayMs`).
 */
import { DashwireError } from '../errors.js';
import type { EventCatalog } from '../events.js';
import type { Client, Subscription } from '../client/types.js';
import {
  postError,
  safePost,
  type HostMessage,
  type PortLike,
  type PostedSubscription,
  type TabMessage,
} from './messages.js';

export interface ServedTab {
  /** The tab's peer id (its peer lock is named after it). */
  readonly id: string;
  readonly port: PortLike;
  /** The tab's subscriptions by its `sid`: one handle each on the real client. */
  readonly subs: Map<number, { handle: Subscription; off: () => void }>;
  /** Subscriptions per channel: which events this tab is routed. */
  readonly channels: Map<string, number>;
  readonly listening: Set<string>;
  /** The tab has a token provider the host may ask. */
  readonly auth: boolean;
  /** Aborts the wait on the tab's peer lock. */
  readonly stopWatching: AbortController;
}

/** A tab's record from its `attach`, before any of its subscriptions is made. */
export function serveTab(port: PortLike, attach: Extract<TabMessage, { t: 'attach' }>): ServedTab {
  return {
    id: attach.peer,
    port,
    subs: new Map(),
    channels: new Map(),
    listening: new Set(attach.listening),
    auth: attach.init.auth,
    stopWatching: new AbortController(),
  };
}

/** Posts to the tab (an event that cannot cross the port becomes an `error` for the tab). */
export function postToTab(tab: ServedTab, message: HostMessage): void {
  if (!safePost(tab.port, message) && message.t === 'event') {
    // A payload the schema turned into something uncloneable: tell the tab rather than lose it silently.
    safePost(tab.port, {
      t: 'life',
      event: 'error',
      payload: postError(
        new DashwireError('unknown', `A "${message.type}" payload could not be passed to this tab`, {
          details: { type: message.type },
        }),
      ),
    });
  }
}

/**
 * Subscribes on the real client for the tab's `sid`, forwarding the handle's states to the tab.
 * Returns false when the tab already holds that `sid` (a repeated `sub` changes nothing).
 */
export function subscribeTab(
  tab: ServedTab,
  client: Client<EventCatalog>,
  { sid, channel, params }: PostedSubscription,
): boolean {
  if (tab.subs.has(sid)) return false;
  const handle = client.subscribe(channel, params);
  const off = handle.onState((state, error) => postToTab(tab, { t: 'sub', sid, state, error: postError(error) }));
  tab.subs.set(sid, { handle, off });
  tab.channels.set(channel, (tab.channels.get(channel) ?? 0) + 1);
  postToTab(tab, { t: 'sub', sid, state: handle.state, error: postError(handle.error) });
  return true;
}

export function unsubscribeTab(tab: ServedTab, sid: number): void {
  const sub = tab.subs.get(sid);
  if (!sub) return;
  tab.subs.delete(sid);
  sub.off();
  sub.handle.unsubscribe();
  const left = (tab.channels.get(sub.handle.channel) ?? 1) - 1;
  if (left > 0) tab.channels.set(sub.handle.channel, left);
  else tab.channels.delete(sub.handle.channel);
}

/** Stops hearing the tab: no more waiting on its lock, no more messages from its port. */
export function muteTab(tab: ServedTab): void {
  tab.stopWatching.abort();
  tab.port.onmessage = null;
}

/** The tab is gone: stop hearing it and release its handles on the real client. */
export function releaseTab(tab: ServedTab): void {
  muteTab(tab);
  for (const { handle, off } of tab.subs.values()) {
    off();
    handle.unsubscribe();
  }
  tab.subs.clear();
}
