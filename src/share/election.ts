/**
 * Leader election for `share: 'tabs'` where no SharedWorker runs: the tab holding the Web Lock
 * `dashwire:leader:<key>` hosts the connection; the others reach it over BroadcastChannel.
 *
 * Channels: `dashwire:share:<key>` carries `hello` (a tab asks to be served) and `leader` (a
 * new leader took over: everyone says hello again); `dashwire:share:<key>:<peer>` is one
 * tab's line to the leader (the leader answers a hello there with `welcome`, then the
 * host/tab messages flow). A BroadcastChannel never delivers to itself, so the per-tab name
 * makes it a two-party line.
 *
 * The tab holds its peer lock (see `peerLock`) before joining, so the leader can watch it.
 *
 * Handover: when the leader's tab closes, crashes or freezes, its lock is released (or it
 * resigns on `freeze`/`pagehide`), the next tab waiting for the lock is granted it, builds
 * the connection with its own cursors as `resume`, and announces itself.
 */
import type { EventCatalog } from '../events.js';
import type { ShareHost } from './host.js';
import type { LockManagerLike } from './locks.js';
import type { PortLike } from './messages.js';
import type { ProxyControl } from './proxy-control.js';

/** Page lifecycle events a leader reacts to (`document` in a browser). */
export interface PageLifecycle {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export interface ElectionConfig {
  readonly key: string;
  readonly locks: LockManagerLike;
  /** Opens a BroadcastChannel (tests pass in-memory ones). */
  readonly channel: (name: string) => PortLike;
  /** Builds the host when this tab is elected (`id` goes into its `gone`). */
  readonly host: (id: string) => ShareHost;
  /** A local port pair from the leader's proxy to its own host. */
  readonly pair: () => { readonly tab: PortLike; readonly host: PortLike };
  readonly page?: PageLifecycle;
}

export interface Election {
  readonly leading: boolean;
  /** Leaves the election (resigning if leader); resolves when a connection this tab held is closed. */
  stop(): Promise<void>;
}

type ControlMessage = { readonly t: 'hello'; readonly peer: string } | { readonly t: 'leader' };

export function joinElection(proxy: ProxyControl<EventCatalog>, config: ElectionConfig): Election {
  const { key, locks } = config;
  const base = `dashwire:share:${key}`;
  const stopped = new AbortController();
  const control = config.channel(base);
  const inbox = config.channel(`${base}:${proxy.peer}`);
  /** What the proxy sees as its port while a follower: the inbox, minus the election's `welcome`. */
  const line: PortLike = { postMessage: (message) => inbox.postMessage(message), onmessage: null, close() {} };
  let leading: { resign(): Promise<void> } | undefined;
  let candidate: AbortController | undefined;
  let paused = false;
  /** The leader serving this tab, from its `welcome`. */
  let servedBy: string | undefined;
  let terms = 0;

  const hello = (): void => control.postMessage({ t: 'hello', peer: proxy.peer } satisfies ControlMessage);

  inbox.onmessage = (event) => {
    const message = event.data as { t?: string; host?: string } | null;
    if (message?.t === 'welcome') {
      servedBy = message.host;
      if (!leading) proxy.attach(line, 'follower');
      return;
    }
    // Two leaders' messages on one channel have no order between them: the old leader's
    // `gone` must not detach this tab from the new one.
    if (message?.t === 'gone' && message.host !== servedBy) return;
    line.onmessage?.(event);
  };

  control.onmessage = (event) => {
    const message = event.data as ControlMessage;
    if (message?.t === 'leader' && !leading) {
      proxy.detach();
      hello();
    }
  };

  function lead(release: () => void): void {
    const id = `${proxy.peer}#${++terms}`;
    const host = config.host(id);
    const served = new Map<string, PortLike>();
    const local = config.pair();
    host.accept(local.host);
    proxy.attach(local.tab, 'leader');
    const previous = control.onmessage;
    control.onmessage = (event) => {
      const message = event.data as ControlMessage;
      if (message?.t !== 'hello' || served.has(message.peer)) return;
      const port = config.channel(`${base}:${message.peer}`);
      served.set(message.peer, port);
      host.accept(port);
      port.postMessage({ t: 'welcome', host: id });
    };
    leading = {
      resign() {
        leading = undefined;
        control.onmessage = previous;
        // host.close() tells every tab `gone` before its first await. The lock goes now, not
        // when the socket has closed: a tab resigning on `freeze` runs no more tasks after it.
        const closing = host.close();
        release();
        return closing.finally(() => {
          for (const port of served.values()) port.close();
          local.host.close();
          local.tab.close();
        });
      },
    };
    control.postMessage({ t: 'leader' } satisfies ControlMessage);
  }

  function stand(): void {
    if (stopped.signal.aborted || candidate) return;
    const attempt = new AbortController();
    candidate = attempt;
    const signal = eitherSignal(stopped.signal, attempt.signal);
    locks
      .request(`dashwire:leader:${key}`, { signal }, () => {
        candidate = undefined;
        if (signal.aborted) return undefined;
        return new Promise<void>((release) => lead(release));
      })
      .catch(() => {
        if (candidate === attempt) candidate = undefined;
      });
    hello();
  }

  /**
   * Frozen or going into the back-forward cache: a frozen tab cannot run a lock callback, so it
   * stops standing (or it would block the election), and a leader hands the connection over.
   * A follower stays attached: what the leader sends meanwhile waits in its channel.
   */
  const pause = (): void => {
    if (paused) return;
    paused = true;
    candidate?.abort();
    candidate = undefined;
    if (!leading) return;
    void leading.resign();
    proxy.detach();
  };
  const resume = (): void => {
    if (!paused) return;
    paused = false;
    stand();
  };
  config.page?.addEventListener('freeze', pause);
  config.page?.addEventListener('pagehide', pause);
  config.page?.addEventListener('resume', resume);
  config.page?.addEventListener('pageshow', resume);

  stand();

  return {
    get leading() {
      return leading !== undefined;
    },
    async stop() {
      if (stopped.signal.aborted) return;
      stopped.abort();
      config.page?.removeEventListener('freeze', pause);
      config.page?.removeEventListener('pagehide', pause);
      config.page?.removeEventListener('resume', resume);
      config.page?.removeEventListener('pageshow', resume);
      const resigned = leading?.resign();
      control.onmessage = null;
      inbox.onmessage = null;
      control.close();
      inbox.close();
      await resigned;
    },
  };
}

/** Aborts when either does (`AbortSignal.any` is missing before Chrome 116 / Safari 17.4). */
function eitherSignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  const both = new AbortController();
  const abort = (): void => both.abort();
  if (a.aborted || b.aborted) abort();
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return both.signal;
}
