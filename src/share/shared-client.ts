/**
 * `createClient({ share: tabs() })`: picks where the connection lives — a SharedWorker when
 * the app gives one, else a leader tab elected with Web Locks, else this tab alone — and
 * returns the tab-side proxy, which keeps working while that choice changes underneath it.
 */
import { createClient } from '../client/client.js';
import type { ClientOptions } from '../client/options.js';
import type { Client, ClientStats } from '../client/types.js';
import type { EventCatalog } from '../events.js';
import { native } from '../protocol/native.js';
import type { Protocol } from '../protocol/types.js';
import { joinElection, type Election, type PageLifecycle } from './election.js';
import { createShareHost, peerLock, type BuildClient } from './host.js';
import { webLocks, type LockManagerLike } from './locks.js';
import type { PortLike, ProtocolRef, ShareInit } from './messages.js';
import { shareDefaults, type ShareOptions, type SharedWorkerLike } from './options.js';
import { createProxy } from './proxy.js';

/** What the share code takes from its environment (tests pass in-memory versions). */
export interface ShareEnvironment {
  readonly locks?: LockManagerLike;
  readonly channel?: (name: string) => PortLike;
  readonly page?: PageLifecycle;
  readonly pair?: () => { readonly tab: PortLike; readonly host: PortLike };
}

/** Options a worker can receive: plain data only (functions would not survive a structured clone). */
const postable = [
  'url',
  'urls',
  'reconnect',
  'heartbeat',
  'fallback',
  'maxMessageBytes',
  'maxQueue',
  'requireSecure',
  'unsubscribeDelayMs',
  'probeTimeoutMs',
  'connectTimeoutMs',
] as const;

function postableOptions(options: ClientOptions<EventCatalog>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of postable) if (options[name] !== undefined) picked[name] = options[name];
  // The fallback is a value with methods: its options go, the worker rebuilds it with polling().
  if (options.fallback) picked.fallback = options.fallback.options;
  // JSON round trip: drops functions (fallback.fetch, urlFor) instead of failing the post.
  return JSON.parse(JSON.stringify(picked)) as Record<string, unknown>;
}

/**
 * The key tabs share a connection under: URL(s) + protocol (name and the JSON options a
 * worker builds it with) + the app's identity string.
 */
export function shareKey(options: ClientOptions<EventCatalog>, protocol: ProtocolRef, identity: string): string {
  const urls = options.urls ?? (options.url !== undefined ? [options.url] : []);
  return JSON.stringify([urls, protocol.name, protocol.options ?? null, identity]);
}

const randomId = (): string =>
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

function browserEnvironment(): ShareEnvironment {
  const g = globalThis as {
    BroadcastChannel?: typeof BroadcastChannel;
    MessageChannel?: typeof MessageChannel;
    document?: PageLifecycle;
  };
  const BC = g.BroadcastChannel;
  const MC = g.MessageChannel;
  return {
    locks: webLocks(),
    channel: BC ? (name) => new BC(name) : undefined,
    page: g.document,
    pair: MC
      ? () => {
          const { port1, port2 } = new MC();
          return { tab: port1, host: port2 };
        }
      : undefined,
  };
}

/**
 * A client that shares one connection with every same-origin tab of the same identity.
 * Called by `createClient` when `share` is set; same API, plus `stats().share`.
 * @internal
 */
export function createSharedClient<E extends EventCatalog>(
  options: ClientOptions<E>,
  environment: ShareEnvironment = browserEnvironment(),
): Client<E> {
  const protocol = (options.protocol ?? native()) as Protocol<E>;
  const share: ShareOptions = options.share?.options ?? {};
  const own = { ...options, share: undefined } as ClientOptions<E>;
  const protocolRef: ProtocolRef = share.protocol ?? { name: protocol.name };
  const key = shareKey(options, protocolRef, share.identity ?? '');
  const { locks, channel, pair, page } = environment;

  if (!pair || (!share.worker && (!locks || !channel))) {
    // Nothing to share through here (Node, an old browser): a private connection, flagged.
    const client = createClient(
      own as ClientOptions<EventCatalog> & { protocol: Protocol<EventCatalog> },
    ) as unknown as Client<E>;
    return Object.assign(Object.create(client) as Client<E>, {
      stats: (): ClientStats => ({ ...client.stats(), share: 'private' }),
    });
  }

  const init: ShareInit = {
    key,
    protocol: protocolRef,
    options: postableOptions(options),
    auth: options.auth !== undefined,
  };
  let stopTransport: () => Promise<void> = () => Promise.resolve();
  let releasePeer: (() => void) | undefined;
  const proxy = createProxy<E>({
    protocol,
    init,
    options,
    peer: randomId(),
    onClose() {
      const stopping = stopTransport();
      releasePeer?.();
      return stopping;
    },
  });

  /**
   * This tab's own connection, served to its proxy like any other host would. Without
   * `resync`: each tab's proxy runs its own on the forwarded `gap`, as in a worker.
   */
  const buildHere: BuildClient = (_init, resume) =>
    createClient({ ...own, resync: undefined, lazy: true, resume } as ClientOptions<EventCatalog> & {
      protocol: Protocol<EventCatalog>;
    });

  function privately(): void {
    const host = createShareHost(buildHere);
    const local = pair!();
    host.accept(local.host);
    proxy.attach(local.tab, 'private');
    stopTransport = () =>
      host.close().finally(() => {
        local.host.close();
        local.tab.close();
      });
  }

  function elect(): void {
    if (proxy.closed) return;
    if (!locks || !channel) return privately();
    const election: Election = joinElection(proxy, {
      key,
      locks,
      channel,
      page,
      pair: pair!,
      host: (id) => createShareHost(buildHere, locks, id),
    });
    stopTransport = () => election.stop();
  }

  const start = (): void => {
    if (proxy.closed) return;
    if (share.worker && typeof (globalThis as { SharedWorker?: unknown }).SharedWorker !== 'undefined') {
      startWorker(share.worker, share.workerTimeoutMs ?? shareDefaults.workerTimeoutMs);
    } else {
      elect();
    }
  };
  if (locks) {
    // Held for this client's life: a host granted it knows the tab is gone, `bye` or not.
    locks
      .request(peerLock(proxy.peer), {}, () => {
        if (proxy.closed) return undefined;
        const stopped = new Promise<void>((release) => (releasePeer = release));
        start();
        return stopped;
      })
      .catch(() => {});
  } else {
    start();
  }

  /**
   * Connects to the worker; on failure (no script, a crash at start, a protocol it cannot
   * build, no answer in time) falls back to an election. With Web Locks, the worker holds a
   * lock named in its `welcome`; being granted it means the worker died: start a new one.
   */
  function startWorker(make: () => SharedWorkerLike, timeoutMs: number): void {
    let worker: SharedWorkerLike;
    try {
      worker = make();
    } catch {
      return elect();
    }
    const port = worker.port as unknown as PortLike & { start(): void };
    let settled = false;
    const fail = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      port.onmessage = null;
      port.close();
      elect();
    };
    const timer = setTimeout(fail, timeoutMs);
    worker.addEventListener('error', fail);
    port.onmessage = (event) => {
      const welcome = event.data as { t?: string; lock?: string; protocols?: readonly string[] } | null;
      if (settled || welcome?.t !== 'welcome') return;
      if (!welcome.protocols?.includes(init.protocol.name)) return fail();
      settled = true;
      clearTimeout(timer);
      proxy.attach(port, 'worker');
      const gone = new AbortController();
      stopTransport = () => {
        gone.abort();
        port.close();
        return Promise.resolve();
      };
      if (welcome.lock && locks) {
        locks
          .request(welcome.lock, { signal: gone.signal }, () => {
            if (gone.signal.aborted || proxy.closed) return;
            // The worker is gone (terminated, crashed): the next one resumes from our cursors.
            proxy.detach();
            port.close();
            startWorker(make, timeoutMs);
          })
          .catch(() => {});
      }
    };
    port.start();
  }

  return proxy.client;
}
