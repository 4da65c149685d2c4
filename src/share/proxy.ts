/**
 * The tab side of `share: 'tabs'`: an object with the whole `Client<E>` interface whose
 * connection lives elsewhere (a SharedWorker, or the leader tab). Payloads arrive validated;
 * this side dispatches them to the tab's own handlers and subscriptions (proxy-subscription.ts)
 * and keeps what the tab was delivered (tab-store.ts: `latest()`, the last seq per channel, so
 * a handover to a new host resumes from it and drops replays). It talks to its host over a
 * `HostLine` (host-line.ts) and shows the connection state through `TabState` (tab-state.ts).
 *
 * The host may change under it (leader closed, worker restarted): `attach(port)` re-sends
 * everything the tab holds — subscriptions, listened lifecycle events, cursors.
 */
import { createFreshness } from '../client/freshness.js';
import { DashwireError } from '../errors.js';
import type { EventCatalog, EventName, EventPayload } from '../events.js';
import type { SubscriptionParams } from '../protocol/types.js';
import type { Client, ClientEvents, ClientStats, ConnectionState, Subscription } from '../client/types.js';
import type { EventMeta, GapInfo } from '../client/message-types.js';
import { readError, type HostMessage, type PortLike, type TabMessage } from './messages.js';
import { SafeEmitter } from '../client/emitter.js';
import { createLatestListeners } from '../client/latest.js';
import { validationMode } from '../client/validate.js';
import { createHostLine, type ShareMode } from './host-line.js';
import { ProxySubscription } from './proxy-subscription.js';
import { tabStats } from './proxy-stats.js';
import { createTabState } from './tab-state.js';
import { createTabStore, type KeyFunctions } from './tab-store.js';
import { answerToken } from './tokens.js';
import type { ProxyConfig, ProxyControl } from './proxy-control.js';

/** Lifecycle events a tab must ask the host to forward (`state` always comes). */
const forwarded = new Set(['invalid', 'unknown', 'error', 'gap']);

/** Makes a tab's shared client; the share transports attach it to each host that serves it. */
export function createProxy<E extends EventCatalog>(config: ProxyConfig<E>): ProxyControl<E> {
  const { protocol, init, options, peer } = config;
  const keys = { ...protocol.keys, ...options.keys } as KeyFunctions;
  const maxQueue = options.maxQueue ?? 100;

  const line = createHostLine();
  let closed = false;
  let wantConnect = false;
  let nextSid = 1;
  let hostStats: ClientStats | undefined;
  let handlerErrors = 0;
  const listening = new Set<string>();
  const store = createTabStore(protocol.resumable === true, keys);
  const subs = new Map<number, ProxySubscription<E>>();

  const handlerThrew = (error: unknown, event: string): void => {
    handlerErrors++;
    if (event === 'error') return;
    emitter.emit(
      'error',
      new DashwireError('handler_threw', `A handler for "${event}" threw`, { cause: error, details: { event } }),
    );
  };
  const emitter = new SafeEmitter(handlerThrew);
  const status = createTabState(emitter);
  const latest = createLatestListeners((error) => handlerThrew(error, 'latest'));
  /** Until the host's counters arrive: how a client made with these options would validate here. */
  const localValidation = validationMode(options.validation);
  // #16: this tab's own freshness of what it delivered (snapshots are not shared across tabs yet).
  const freshness = createFreshness({ emitter, staleAfterMs: options.staleAfterMs });

  /** A handle's `unsubscribe()`: this tab stops routing to it and tells the host. */
  function release(sub: ProxySubscription<E>): void {
    subs.delete(sub.sid);
    sub.setState('unsubscribed');
    sub.events.clear();
    line.post({ t: 'unsub', sid: sub.sid });
    // Like the real client: a channel nobody here subscribes to any more starts fresh next time.
    if (![...subs.values()].some((s) => s.channel === sub.channel)) store.forget(sub.channel);
  }

  function setState(next: ConnectionState, error: DashwireError | undefined): void {
    if (status.set(next, error)) freshness.connection(status.state);
  }

  function deliver(type: string, data: unknown, meta: EventMeta): void {
    if (!store.advance(meta)) return;
    const { channel } = meta;
    const key = store.store(type, data);
    latest.changed(type, key);
    freshness.touch(channel, type, key);
    emitter.emit(type, data, meta);
    for (const sub of subs.values()) if (sub.wants(protocol, type, data, channel)) sub.deliver(type, data, meta);
  }

  function receive(message: HostMessage): void {
    if (closed) return;
    switch (message.t) {
      case 'state':
        if (message.state === 'closed') return void stop(readError(message.error));
        return setState(message.state, readError(message.error));
      case 'event':
        return deliver(message.type, message.data, message.meta);
      case 'life': {
        const payload = message.event === 'error' ? readError(message.payload as never) : message.payload;
        emitter.emit(message.event, payload);
        if (message.event === 'gap') void Promise.resolve(options.resync?.(payload as GapInfo)).catch(() => {});
        return;
      }
      case 'sub':
        return subs.get(message.sid)?.setState(message.state, readError(message.error));
      case 'stats':
        hostStats = message.stats;
        return;
      case 'token':
        return void answerToken(options.auth, message.id, message.reason).then((answer) => line.post(answer));
      case 'gone':
        return detach();
    }
  }

  function attach(next: PortLike, nextMode: ShareMode): void {
    if (closed) return;
    line.attach(next, nextMode, receive);
    line.post({
      t: 'attach',
      peer,
      init,
      cursors: store.cursors(),
      subs: [...subs.values()].map(({ sid, channel, params }) => ({ sid, channel, params })),
      listening: [...listening],
      connect: wantConnect,
    });
    line.flush();
    // Only now: a state listener that sends must reach the new host after its `attach`, which
    // it needs before it hears anything from this tab.
    for (const sub of subs.values()) if (sub.state === 'subscribed') sub.setState('pending');
  }

  function detach(): void {
    line.detach();
    for (const sub of subs.values()) if (sub.state === 'subscribed') sub.setState('pending');
    if (status.state === 'open' || status.state === 'polling') setState('reconnecting', undefined);
  }

  let stopped: Promise<void> | undefined;
  function stop(error: DashwireError | undefined): Promise<void> {
    if (stopped) return stopped;
    closed = true;
    line.post({ t: 'bye' });
    detach();
    const reason = error ?? new DashwireError('client_closed', 'Client closed');
    for (const sub of subs.values()) sub.setState('unsubscribed', reason);
    subs.clear();
    status.close(error);
    freshness.close();
    emitter.clear();
    stopped = config.onClose();
    return stopped;
  }

  const client: Client<E> = {
    protocol,
    get state() {
      return status.state;
    },
    get error() {
      return status.error;
    },
    on<K extends keyof ClientEvents<E>>(event: K, handler: ClientEvents<E>[K]): () => void {
      const name = event as string;
      if (forwarded.has(name) && !listening.has(name)) {
        listening.add(name);
        line.post({ t: 'listen', event: name });
      }
      if (options.lazy && name !== 'state' && name !== 'error') client.connect();
      return emitter.on(name, handler);
    },
    subscribe(channel: string, params: SubscriptionParams = {}): Subscription<E> {
      const sub = new ProxySubscription<E>(nextSid++, channel, params, handlerThrew, release);
      if (closed) {
        sub.setState('unsubscribed');
        return sub;
      }
      subs.set(sub.sid, sub);
      line.post({ t: 'sub', sub: { sid: sub.sid, channel, params } });
      client.connect();
      return sub;
    },
    freshness(type: string, key?: string) {
      return freshness.freshness(type, key);
    },
    latest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined {
      return store.latest(type, key) as EventPayload<E, K> | undefined;
    },
    onLatest: (type, key, listener) => latest.listen(type, key, listener),
    stats() {
      line.post({ t: 'stats' }); // refreshes the connection's counters for the next call
      return tabStats(hostStats, localValidation, {
        state: status.state,
        ...store.counts(),
        handlerErrors,
        freshness: freshness.stats(),
        share: line.mode,
      });
    },
    send(message: string | object, sendOptions: { channel?: string } = {}): boolean {
      if (closed) return false;
      const posted: TabMessage =
        sendOptions.channel === undefined
          ? { t: 'send', message }
          : { t: 'send', message, channel: sendOptions.channel };
      if (line.attached || line.held < maxQueue) return line.queue(posted);
      emitter.emit(
        'error',
        new DashwireError('queue_full', 'Outgoing queue is full; message dropped', {
          details: { size: line.held },
        }),
      );
      return false;
    },
    connect() {
      if (wantConnect || closed) return;
      wantConnect = true;
      line.post({ t: 'connect' });
    },
    usePolling() {
      if (closed) return;
      wantConnect = true;
      line.queue({ t: 'polling' });
    },
    close() {
      return stop(undefined);
    },
  };

  // `resync` runs on this tab's gaps, so the host must forward them even without a `gap` listener.
  if (options.resync) listening.add('gap');
  if (!options.lazy) queueMicrotask(() => client.connect());

  return {
    client,
    peer,
    attach,
    detach,
    get closed() {
      return closed;
    },
  };
}
