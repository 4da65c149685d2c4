/**
 * The connection side of `share: 'tabs'`: one real `createClient` per identity, serving any
 * number of tabs over ports. It runs in a SharedWorker, or in the tab elected leader. Each
 * tab it serves is a `ServedTab` (served-tab.ts); tokens are borrowed from tabs (tokens.ts).
 */
import type { DashwireError } from '../errors.js';
import type { EventCatalog } from '../events.js';
import type { TokenRequest } from '../client/options.js';
import type { EventMeta, SeqGap } from '../client/message-types.js';
import type { Client } from '../client/types.js';
import { createChannelHistory, type ChannelHistory } from './channel-history.js';
import type { LockManagerLike } from './locks.js';
import {
  postError,
  safePost,
  type PortLike,
  type PostedSubscription,
  type ShareInit,
  type TabMessage,
} from './messages.js';
import {
  muteTab,
  postToTab,
  releaseTab,
  serveTab,
  subscribeTab,
  unsubscribeTab,
  type ServedTab,
} from './served-tab.js';
import { createTokenRequests, type TokenRequests } from './tokens.js';

/** Builds the real client for the first tab of an identity. @category Sharing */
export type BuildClient = (
  init: ShareInit,
  /** Last seq per channel the first tab saw: pass as `resume` so a handover loses nothing. */
  resume: Record<string, number>,
  /** Asks a live tab for a token; `undefined` when the tab has no token provider. */
  token: ((request: TokenRequest) => Promise<string>) | undefined,
) => Client<EventCatalog>;

/** Serves tabs over ports. @category Sharing */
export interface ShareHost {
  /** Serves one tab over this port, until it says `bye` or (with Web Locks) its tab dies. */
  accept(port: PortLike): void;
  /** Connections (identities) currently served. */
  readonly size: number;
  /** Closes every connection; ports are told `gone`. */
  close(): Promise<void>;
}

/** Lifecycle events forwarded to the tabs that listen for them. */
const lifecycle = ['invalid', 'unknown', 'error', 'gap'] as const;

/** One connection (identity) and the tabs it serves. */
interface Hosted {
  readonly key: string;
  readonly client: Client<EventCatalog>;
  readonly tabs: Set<ServedTab>;
  wired: boolean;
  readonly tokens: TokenRequests<ServedTab>;
  /** What went by lately per channel, for tabs that attach late (resumable protocols). */
  readonly history: ChannelHistory | undefined;
}

/**
 * Creates a host. `build` makes the real client (the worker builds the protocol by name; a
 * leader tab uses its own options); `id` names it in its `gone` message.
 * @category Sharing
 */
export function createShareHost(build: BuildClient, locks?: LockManagerLike, id?: string): ShareHost {
  const hosted = new Map<string, Hosted>();
  let closed = false;
  /** Connections whose last tab left, still closing: `close()` waits for them too. */
  const closing = new Set<Promise<void>>();

  function open(init: ShareInit, cursors: Record<string, number>): Hosted {
    const existing = hosted.get(init.key);
    if (existing) return existing;
    const tabs = new Set<ServedTab>();
    const tokens = createTokenRequests<ServedTab>();
    const client = build(init, cursors, init.auth ? (request) => tokens.ask(tabs, request) : undefined);
    const entry: Hosted = {
      key: init.key,
      client,
      tabs,
      wired: false,
      tokens,
      history: client.protocol.resumable ? createChannelHistory() : undefined,
    };
    client.on('state', ({ current, error }) => {
      for (const tab of entry.tabs) postToTab(tab, { t: 'state', state: current, error: postError(error) });
    });
    hosted.set(init.key, entry);
    return entry;
  }

  /** Message and lifecycle listeners go on at first use: on a `lazy` client they start the connection. */
  function wire(entry: Hosted): void {
    if (entry.wired) return;
    entry.wired = true;
    const { client } = entry;
    for (const type of Object.keys(client.protocol.events)) {
      client.on(
        type as never,
        ((data: unknown, meta: EventMeta) => {
          entry.history?.record({ type, data, meta });
          for (const tab of entry.tabs) {
            if (meta.channel === undefined || tab.channels.has(meta.channel))
              postToTab(tab, { t: 'event', type, data, meta });
          }
        }) as never,
      );
    }
    for (const event of lifecycle) {
      client.on(event, (payload: unknown) => {
        const posted = event === 'error' ? postError(payload as DashwireError) : payload;
        for (const tab of entry.tabs)
          if (tab.listening.has(event)) postToTab(tab, { t: 'life', event, payload: posted });
      });
    }
    client.connect();
  }

  function leave(entry: Hosted, tab: ServedTab): void {
    if (!entry.tabs.delete(tab)) return;
    releaseTab(tab);
    entry.tokens.forget(tab);
    if (entry.tabs.size === 0) {
      hosted.delete(entry.key);
      const done = entry.client.close().finally(() => closing.delete(done));
      closing.add(done);
    }
  }

  /**
   * A tab attaching after the connection started: what went by after its cursors on its
   * channels, before any live event. Where the history does not reach back far enough the tab
   * is told with a `gap` (when it listens), never left with a silent hole.
   */
  function catchUp(entry: Hosted, tab: ServedTab, cursors: Record<string, number>): void {
    if (!entry.history) return;
    for (const [channel, seq] of Object.entries(cursors)) {
      if (!tab.channels.has(channel)) continue;
      const { events, complete } = entry.history.after(channel, seq);
      if (events.length === 0) continue;
      if (!complete && tab.listening.has('gap')) {
        const gap: SeqGap = { channel, fromSeq: seq + 1, toSeq: events[0]!.meta.seq! - 1 };
        postToTab(tab, { t: 'life', event: 'gap', payload: gap });
      }
      for (const { type, data, meta } of events) postToTab(tab, { t: 'event', type, data, meta });
    }
  }

  function subscribe(entry: Hosted, tab: ServedTab, sub: PostedSubscription): void {
    if (subscribeTab(tab, entry.client, sub)) wire(entry);
  }

  function handle(entry: Hosted, tab: ServedTab, message: TabMessage): void {
    const { client } = entry;
    switch (message.t) {
      case 'sub':
        return subscribe(entry, tab, message.sub);
      case 'unsub':
        return unsubscribeTab(tab, message.sid);
      case 'listen':
        tab.listening.add(message.event);
        return wire(entry);
      case 'connect':
        return wire(entry);
      case 'polling':
        wire(entry);
        return client.usePolling();
      case 'send':
        client.send(message.message, message.channel === undefined ? {} : { channel: message.channel });
        return;
      case 'stats':
        return postToTab(tab, { t: 'stats', stats: client.stats() });
      case 'token':
        return entry.tokens.answer(message);
      case 'bye':
        return leave(entry, tab);
      case 'attach':
        return; // one attach per port
    }
  }

  return {
    accept(port) {
      port.onmessage = (event) => {
        const first = event.data as TabMessage;
        if (closed || first?.t !== 'attach') return;
        const entry = open(first.init, first.cursors);
        const tab = serveTab(port, first);
        entry.tabs.add(tab);
        port.onmessage = (next) => handle(entry, tab, next.data as TabMessage);
        postToTab(tab, { t: 'state', state: entry.client.state, error: postError(entry.client.error) });
        for (const sub of first.subs) subscribe(entry, tab, sub);
        if (first.connect || first.listening.length > 0) wire(entry);
        catchUp(entry, tab, first.cursors);
        // The tab holds a lock named after itself for its lifetime: when we are granted it, the
        // tab is gone (closed, crashed, navigated away) even if it never said `bye`.
        locks?.request(peerLock(tab.id), { signal: tab.stopWatching.signal }, () => leave(entry, tab)).catch(() => {});
      };
    },
    get size() {
      return hosted.size;
    },
    async close() {
      closed = true;
      const all = [...hosted.values()];
      hosted.clear();
      await Promise.all(
        all.map((entry) => {
          for (const tab of entry.tabs) {
            muteTab(tab);
            safePost(tab.port, id === undefined ? { t: 'gone' } : { t: 'gone', host: id });
          }
          entry.tabs.clear();
          return entry.client.close();
        }),
      );
      await Promise.all([...closing]);
    },
  };
}

/** Name of the lock a tab's shared client holds while it lives. */
export const peerLock = (peer: string): string => `dashwire:peer:${peer}`;
