/**
 * The tab side of `share: 'tabs'`: an object with the whole `Client<E>` interface whose
 * connection lives elsewhere (a SharedWorker, or the leader tab). Payloads arrive validated;
 * this side dispatches them to the tab's own handlers, keeps the tab's `latest()` store and
 * the last seq per channel (so a handover to a new host resumes from it and drops replays).
 *
 * The host may change under it (leader closed, worker restarted): `attach(port)` re-sends
 * everything the tab holds — subscriptions, listened lifecycle events, cursors.
 */
import { createFreshness } from '../client/freshness.js';
import { DashwireError } from '../errors.js';
import type { EventCatalog, EventName, EventPayload } from '../events.js';
import type { Protocol, SubscriptionParams } from '../protocol/types.js';
import type { AuthOptions, ClientOptions } from '../client/options.js';
import type {
  Client,
  ClientEvents,
  ClientStats,
  ConnectionState,
  Subscription,
  SubscriptionState,
} from '../client/types.js';
import type { EventMeta, GapInfo } from '../client/message-types.js';
import {
  postError,
  readError,
  safePost,
  type HostMessage,
  type PortLike,
  type ShareInit,
  type TabMessage,
} from './messages.js';
import { SafeEmitter } from '../client/emitter.js';
import { createLatestListeners } from '../client/latest.js';
import { validationMode } from '../client/validate.js';

/**
 * Where a shared client's connection lives: `worker` (a SharedWorker), `leader` (this tab
 * holds it for the others), `follower` (another tab does), `private` (no sharing possible
 * here: this tab has its own), `waiting` (between two hosts, during a handover).
 * @category Sharing
 */
export type ShareMode = NonNullable<ClientStats['share']>;

/** What the share transports (worker, election) drive on a proxy. */
export interface ProxyControl<E extends EventCatalog> {
  readonly client: Client<E>;
  /** Unique id of this client instance (its peer lock is named after it). */
  readonly peer: string;
  /** Serves this client from the host behind `port` (replacing any previous one). */
  attach(port: PortLike, mode: ShareMode): void;
  /** The host went away: wait for the next one. */
  detach(): void;
  readonly closed: boolean;
}

export interface ProxyConfig<E extends EventCatalog> {
  readonly protocol: Protocol<E>;
  readonly init: ShareInit;
  readonly options: ClientOptions<E>;
  readonly peer: string;
  /** The transport stops (resigns leadership, closes its ports); resolves when its sockets are closed. */
  onClose(): Promise<void>;
}

/** Lifecycle events a tab must ask the host to forward (`state` always comes). */
const forwarded = new Set(['invalid', 'unknown', 'error', 'gap']);

const canMoveSub = (from: SubscriptionState, to: SubscriptionState): boolean =>
  from !== 'unsubscribed' &&
  (to === 'unsubscribed' || from === 'pending' || to === 'pending' || (from === 'subscribed' && to === 'error'));

const emptyStats: Omit<ClientStats, 'state'> = {
  transport: 'shared',
  frames: 0,
  received: 0,
  invalid: 0,
  unknown: 0,
  protocol: 0,
  duplicates: 0,
  handlerErrors: 0,
  serverErrors: 0,
  reconnects: 0,
  dropped: 0,
  queued: 0,
  rttMs: undefined,
  byType: {},
  validation: 'runtime',
  freshness: {},
};

interface TypeStore {
  count: number;
  last: unknown;
  readonly byKey: Map<string, unknown>;
}

export function createProxy<E extends EventCatalog>(config: ProxyConfig<E>): ProxyControl<E> {
  const { protocol, init, options, peer } = config;
  const auth: AuthOptions | undefined = options.auth;
  const keys = { ...protocol.keys, ...options.keys } as Record<string, ((payload: unknown) => string) | undefined>;
  const maxQueue = options.maxQueue ?? 100;

  let port: PortLike | undefined;
  let mode: ShareMode = 'waiting';
  let status: { state: ConnectionState; error: DashwireError | undefined } = { state: 'idle', error: undefined };
  let everOpen = false;
  let closed = false;
  let wantConnect = false;
  let nextSid = 1;
  let hostStats: ClientStats | undefined;
  let received = 0;
  let duplicates = 0;
  let handlerErrors = 0;
  const listening = new Set<string>();
  const cursors = new Map<string, number>();
  const store = new Map<string, TypeStore>();
  const outbox: TabMessage[] = [];
  const subs = new Map<number, ProxySubscription>();

  const handlerThrew = (error: unknown, event: string): void => {
    handlerErrors++;
    if (event === 'error') return;
    emitter.emit(
      'error',
      new DashwireError('handler_threw', `A handler for "${event}" threw`, { cause: error, details: { event } }),
    );
  };
  const emitter = new SafeEmitter(handlerThrew);
  const latest = createLatestListeners((error) => handlerThrew(error, 'latest'));
  /** Until the host's counters arrive: how a client made with these options would validate here. */
  const localValidation = validationMode(options.validation);
  // #16: this tab's own freshness of what it delivered (snapshots are not shared across tabs yet).
  const freshness = createFreshness({ emitter, staleAfterMs: options.staleAfterMs });

  function send(message: TabMessage): void {
    if (port) safePost(port, message);
  }

  class ProxySubscription implements Subscription<E> {
    state: SubscriptionState = 'pending';
    error: DashwireError | undefined;
    /** #16: when this tab last routed an event to it, unix ms. */
    lastAt: number | undefined;
    get lastEventAt(): Date | undefined {
      return this.lastAt === undefined ? undefined : new Date(this.lastAt);
    }
    readonly ready: Promise<void>;
    readonly events = new SafeEmitter(handlerThrew);
    private settle: { resolve: () => void; reject: (error: DashwireError) => void } | undefined;
    private readonly stateListeners = new SafeEmitter(handlerThrew);

    constructor(
      readonly sid: number,
      readonly channel: string,
      readonly params: SubscriptionParams,
    ) {
      this.ready = new Promise<void>((resolve, reject) => {
        this.settle = { resolve, reject };
      });
      this.ready.catch(() => {});
    }

    setState(next: SubscriptionState, error?: DashwireError): void {
      if (next === this.state || !canMoveSub(this.state, next)) return;
      this.state = next;
      this.error = next === 'error' ? error : undefined;
      if (next === 'subscribed') this.settle?.resolve();
      if (next === 'error' || next === 'unsubscribed')
        this.settle?.reject(error ?? new DashwireError('client_closed', 'Unsubscribed before the server confirmed'));
      if (next !== 'pending') this.settle = undefined;
      this.stateListeners.emit('state', next, this.error);
    }

    on<K extends EventName<E>>(type: K, handler: ClientEvents<E>[K]): () => void {
      return this.events.on(type, handler);
    }

    onState(listener: (state: SubscriptionState, error: DashwireError | undefined) => void): () => void {
      return this.stateListeners.on('state', listener);
    }

    unsubscribe(): void {
      if (this.state === 'unsubscribed') return;
      subs.delete(this.sid);
      this.setState('unsubscribed');
      this.events.clear();
      send({ t: 'unsub', sid: this.sid });
      // Like the real client: a channel nobody here subscribes to any more starts fresh next time.
      if (![...subs.values()].some((s) => s.channel === this.channel)) cursors.delete(this.channel);
    }
  }

  function setState(next: ConnectionState, error: DashwireError | undefined): void {
    // A new host starts from `idle`/`connecting`; to this tab that is still a reconnect.
    if (everOpen && (next === 'idle' || next === 'connecting')) next = 'reconnecting';
    const previous = status.state;
    if (previous === next || previous === 'closed') return;
    if (next === 'open' || next === 'polling') everOpen = true;
    status = { state: next, error: next === 'open' || next === 'polling' ? undefined : (error ?? status.error) };
    emitter.emit(
      'state',
      status.error ? { previous, current: next, error: status.error } : { previous, current: next },
    );
    freshness.connection(next);
  }

  function deliver(type: string, data: unknown, meta: EventMeta): void {
    const { channel, seq } = meta;
    if (protocol.resumable && channel !== undefined && seq !== undefined) {
      const last = cursors.get(channel);
      // A replay after a handover: this tab already has it.
      if (last !== undefined && seq <= last) {
        duplicates++;
        return;
      }
      cursors.set(channel, seq);
    }
    received++;
    let record = store.get(type);
    if (!record) store.set(type, (record = { count: 0, last: undefined, byKey: new Map() }));
    record.count++;
    record.last = data;
    const keyOf = keys[type];
    let key: string | undefined;
    if (keyOf) {
      try {
        key = keyOf(data);
        record.byKey.set(key, data);
      } catch {
        // A key function that throws on an odd payload must not cost the delivery.
      }
    }
    latest.changed(type, key);
    freshness.touch(channel, type, key);
    emitter.emit(type, data, meta);
    const matches = (sub: { channel: string; params: SubscriptionParams }): boolean =>
      protocol.matches?.(sub.channel, sub.params, type, data) ?? true;
    for (const sub of subs.values()) {
      if (
        channel !== undefined ? sub.channel === channel && matches(sub) : protocol.matches !== undefined && matches(sub)
      ) {
        sub.lastAt = Date.now();
        sub.events.emit(type, data, meta);
      }
    }
  }

  async function answerToken(id: number, reason: 'connect' | 'refresh'): Promise<void> {
    try {
      if (!auth) throw new DashwireError('token_failed', 'This tab has no token provider');
      const result = await auth.token({ reason });
      // `{ token, expiresAt }` (#16): the host checks expiry on its side; the wire carries the string.
      const token = typeof result === 'string' ? result : result.token;
      send({ t: 'token', id, token });
    } catch (error) {
      send({ t: 'token', id, error: postError(DashwireError.from(error, 'token_failed')) });
    }
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
        return void answerToken(message.id, message.reason);
      case 'gone':
        return detach();
    }
  }

  function attach(next: PortLike, nextMode: ShareMode): void {
    if (closed) return;
    if (port && port !== next) port.onmessage = null;
    port = next;
    mode = nextMode;
    next.onmessage = (event) => receive(event.data as HostMessage);
    for (const sub of subs.values()) if (sub.state === 'subscribed') sub.setState('pending');
    send({
      t: 'attach',
      peer,
      init,
      cursors: Object.fromEntries(cursors),
      subs: [...subs.values()].map(({ sid, channel, params }) => ({ sid, channel, params })),
      listening: [...listening],
      connect: wantConnect,
    });
    for (const message of outbox.splice(0)) send(message);
  }

  function detach(): void {
    if (port) port.onmessage = null;
    port = undefined;
    mode = 'waiting';
    for (const sub of subs.values()) if (sub.state === 'subscribed') sub.setState('pending');
    if (status.state === 'open' || status.state === 'polling') setState('reconnecting', undefined);
  }

  let stopped: Promise<void> | undefined;
  function stop(error: DashwireError | undefined): Promise<void> {
    if (stopped) return stopped;
    closed = true;
    if (port) safePost(port, { t: 'bye' });
    detach();
    const reason = error ?? new DashwireError('client_closed', 'Client closed');
    for (const sub of subs.values()) sub.setState('unsubscribed', reason);
    subs.clear();
    status.error = error;
    const previous = status.state;
    status = { state: 'closed', error };
    emitter.emit('state', error ? { previous, current: 'closed', error } : { previous, current: 'closed' });
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
        send({ t: 'listen', event: name });
      }
      if (options.lazy && name !== 'state' && name !== 'error') client.connect();
      return emitter.on(name, handler);
    },
    subscribe(channel: string, params: SubscriptionParams = {}): Subscription<E> {
      const sub = new ProxySubscription(nextSid++, channel, params);
      if (closed) {
        sub.setState('unsubscribed');
        return sub;
      }
      subs.set(sub.sid, sub);
      send({ t: 'sub', sub: { sid: sub.sid, channel, params } });
      client.connect();
      return sub;
    },
    freshness(type: string, key?: string) {
      return freshness.freshness(type, key);
    },
    latest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined {
      const record = store.get(type);
      return (key === undefined ? record?.last : record?.byKey.get(key)) as EventPayload<E, K> | undefined;
    },
    onLatest: (type, key, listener) => latest.listen(type, key, listener),
    stats() {
      send({ t: 'stats' }); // refreshes the connection's counters for the next call
      const byType: Record<string, number> = {};
      for (const [type, record] of store) byType[type] = record.count;
      return {
        ...emptyStats,
        validation: localValidation,
        ...hostStats,
        // What this tab saw; the rest (frames, reconnects, rttMs…) is the shared connection's.
        state: status.state,
        received,
        duplicates,
        handlerErrors,
        byType,
        freshness: freshness.stats(),
        share: mode,
      };
    },
    send(message: string | object, sendOptions: { channel?: string } = {}): boolean {
      if (closed) return false;
      const posted: TabMessage =
        sendOptions.channel === undefined
          ? { t: 'send', message }
          : { t: 'send', message, channel: sendOptions.channel };
      if (port) return safePost(port, posted);
      if (outbox.length < maxQueue) return outbox.push(posted) > 0;
      emitter.emit(
        'error',
        new DashwireError('queue_full', 'Outgoing queue is full; message dropped', {
          details: { size: outbox.length },
        }),
      );
      return false;
    },
    connect() {
      if (wantConnect || closed) return;
      wantConnect = true;
      send({ t: 'connect' });
    },
    usePolling() {
      if (closed) return;
      wantConnect = true;
      if (port) send({ t: 'polling' });
      else outbox.push({ t: 'polling' });
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
