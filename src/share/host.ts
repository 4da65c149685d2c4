/**
 * The connection side of `share: 'tabs'`: one real `createClient` per identity, serving any
 * number of tabs over ports. It runs in a SharedWorker, or in the tab elected leader.
 *
 * Reference counting needs no code of its own here: each tab subscription becomes one handle
 * on the real client, whose registry already subscribes the wire once per (channel, params)
 * and unsubscribes after the last handle (and `unsubscribeDelayMs`).
 */
import { DashwireError } from '../errors.js';
import type { EventCatalog } from '../events.js';
import type { TokenRequest } from '../client/options.js';
import type { Client, Subscription } from '../client/types.js';
import type { LockManagerLike } from './locks.js';
import {
  postError,
  readError,
  safePost,
  type HostMessage,
  type PortLike,
  type ShareInit,
  type TabMessage,
} from './messages.js';

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

interface Peer {
  readonly id: string;
  readonly port: PortLike;
  readonly hosted: Hosted;
  readonly subs: Map<number, { handle: Subscription; off: () => void }>;
  /** Subscriptions per channel: which events this tab is routed. */
  readonly channels: Map<string, number>;
  readonly listening: Set<string>;
  readonly auth: boolean;
  readonly stopWatching: AbortController;
}

interface Hosted {
  readonly key: string;
  readonly client: Client<EventCatalog>;
  readonly peers: Set<Peer>;
  wired: boolean;
  readonly tokenWaiters: Map<
    number,
    { peer: Peer; resolve: (token: string) => void; reject: (error: DashwireError) => void }
  >;
}

/**
 * Creates a host. `build` makes the real client (the worker builds the protocol by name; a
 * leader tab uses its own options); `id` names it in its `gone` message.
 * @category Sharing
 */
export function createShareHost(build: BuildClient, locks?: LockManagerLike, id?: string): ShareHost {
  const hosted = new Map<string, Hosted>();
  let nextTokenId = 1;
  let closed = false;
  /** Connections whose last tab left, still closing: `close()` waits for them too. */
  const closing = new Set<Promise<void>>();

  function post(peer: Peer, message: HostMessage): void {
    if (!safePost(peer.port, message) && message.t === 'event') {
      // A payload the schema turned into something uncloneable: tell the tab rather than lose it silently.
      safePost(peer.port, {
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

  function askToken(entry: Hosted, request: TokenRequest, skip: Set<Peer> = new Set()): Promise<string> {
    const peer = [...entry.peers].find((p) => p.auth && !skip.has(p));
    if (!peer) return Promise.reject(new DashwireError('token_failed', 'No open tab can provide a token'));
    const id = nextTokenId++;
    return new Promise<string>((resolve, reject) => {
      entry.tokenWaiters.set(id, { peer, resolve, reject });
      post(peer, { t: 'token', id, reason: request.reason });
    }).catch((error: unknown) => {
      // The tab closed before answering: ask the next one.
      if (error instanceof DashwireError && error.details.retry === true)
        return askToken(entry, request, skip.add(peer));
      throw error;
    });
  }

  function open(init: ShareInit, cursors: Record<string, number>): Hosted {
    const existing = hosted.get(init.key);
    if (existing) return existing;
    const entry: Hosted = {
      key: init.key,
      client: undefined as never,
      peers: new Set(),
      wired: false,
      tokenWaiters: new Map(),
    };
    const client = build(init, cursors, init.auth ? (request) => askToken(entry, request) : undefined);
    (entry as { client: Client<EventCatalog> }).client = client;
    client.on('state', ({ current, error }) => {
      for (const peer of entry.peers) post(peer, { t: 'state', state: current, error: postError(error) });
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
        ((data: unknown, meta: { channel?: string }) => {
          for (const peer of entry.peers) {
            if (meta.channel === undefined || peer.channels.has(meta.channel))
              post(peer, { t: 'event', type, data, meta } as HostMessage);
          }
        }) as never,
      );
    }
    for (const event of lifecycle) {
      client.on(event, (payload: unknown) => {
        const posted = event === 'error' ? postError(payload as DashwireError) : payload;
        for (const peer of entry.peers)
          if (peer.listening.has(event)) post(peer, { t: 'life', event, payload: posted });
      });
    }
    client.connect();
  }

  function leave(peer: Peer): void {
    const entry = peer.hosted;
    if (!entry.peers.delete(peer)) return;
    peer.stopWatching.abort();
    peer.port.onmessage = null;
    for (const { handle, off } of peer.subs.values()) {
      off();
      handle.unsubscribe();
    }
    peer.subs.clear();
    for (const [id, waiter] of entry.tokenWaiters) {
      if (waiter.peer !== peer) continue;
      entry.tokenWaiters.delete(id);
      waiter.reject(
        new DashwireError('token_failed', 'The tab asked for a token closed', { details: { retry: true } }),
      );
    }
    if (entry.peers.size === 0) {
      hosted.delete(entry.key);
      const done = entry.client.close().finally(() => closing.delete(done));
      closing.add(done);
    }
  }

  function subscribe(peer: Peer, sid: number, channel: string, params: Record<string, unknown>): void {
    if (peer.subs.has(sid)) return;
    const handle = peer.hosted.client.subscribe(channel, params);
    const off = handle.onState((state, error) => post(peer, { t: 'sub', sid, state, error: postError(error) }));
    peer.subs.set(sid, { handle, off });
    peer.channels.set(channel, (peer.channels.get(channel) ?? 0) + 1);
    post(peer, { t: 'sub', sid, state: handle.state, error: postError(handle.error) });
    wire(peer.hosted);
  }

  function unsubscribe(peer: Peer, sid: number): void {
    const sub = peer.subs.get(sid);
    if (!sub) return;
    peer.subs.delete(sid);
    sub.off();
    sub.handle.unsubscribe();
    const left = (peer.channels.get(sub.handle.channel) ?? 1) - 1;
    if (left > 0) peer.channels.set(sub.handle.channel, left);
    else peer.channels.delete(sub.handle.channel);
  }

  function handle(peer: Peer, message: TabMessage): void {
    const { client } = peer.hosted;
    switch (message.t) {
      case 'sub':
        return subscribe(peer, message.sub.sid, message.sub.channel, message.sub.params);
      case 'unsub':
        return unsubscribe(peer, message.sid);
      case 'listen':
        peer.listening.add(message.event);
        return wire(peer.hosted);
      case 'connect':
        return wire(peer.hosted);
      case 'polling':
        wire(peer.hosted);
        return client.usePolling();
      case 'send':
        client.send(message.message, message.channel === undefined ? {} : { channel: message.channel });
        return;
      case 'stats':
        return post(peer, { t: 'stats', stats: client.stats() });
      case 'token': {
        const waiter = peer.hosted.tokenWaiters.get(message.id);
        if (!waiter) return;
        peer.hosted.tokenWaiters.delete(message.id);
        if (message.token !== undefined) waiter.resolve(message.token);
        else waiter.reject(readError(message.error) ?? new DashwireError('token_failed', 'The token provider failed'));
        return;
      }
      case 'bye':
        return leave(peer);
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
        const peer: Peer = {
          id: first.peer,
          port,
          hosted: entry,
          subs: new Map(),
          channels: new Map(),
          listening: new Set(first.listening),
          auth: first.init.auth,
          stopWatching: new AbortController(),
        };
        entry.peers.add(peer);
        port.onmessage = (next) => handle(peer, next.data as TabMessage);
        post(peer, { t: 'state', state: entry.client.state, error: postError(entry.client.error) });
        for (const sub of first.subs) subscribe(peer, sub.sid, sub.channel, sub.params);
        if (first.connect || first.listening.length > 0) wire(entry);
        // The tab holds a lock named after itself for its lifetime: when we are granted it, the
        // tab is gone (closed, crashed, navigated away) even if it never said `bye`.
        locks?.request(peerLock(peer.id), { signal: peer.stopWatching.signal }, () => leave(peer)).catch(() => {});
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
          for (const peer of entry.peers) {
            peer.stopWatching.abort();
            peer.port.onmessage = null;
            safePost(peer.port, id === undefined ? { t: 'gone' } : { t: 'gone', host: id });
          }
          entry.peers.clear();
          return entry.client.close();
        }),
      );
      await Promise.all([...closing]);
    },
  };
}

/** Name of the lock a tab's shared client holds while it lives. */
export const peerLock = (peer: string): string => `dashwire:peer:${peer}`;
