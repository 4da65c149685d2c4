import type { Client, ConnectionState, DashwireError, EventCatalog, Subscription, SubscriptionParams, SubscriptionState } from 'dashwire';
import { unrefTimer } from '../timers.js';
import { schedulerFor, type Scheduler } from './scheduler.js';

/** What `useSubscription` returns. @category React */
export interface SubscriptionStatus {
  readonly state: SubscriptionState;
  /** The server's refusal, when `state` is `error`. */
  readonly error: DashwireError | undefined;
}

/** Options of `useEventLog`. @category React */
export interface EventLogOptions {
  /** How many of the most recent events to keep. @default 50 */
  readonly limit?: number;
}

/** A handler as the hooks pass it on; the public signatures carry the real types. @internal @category React */
export type Listener = (payload: unknown, meta: unknown) => void;

/** The catalogue-free view of a client the stores need; public hooks keep `Client<E>` types. @internal @category React */
export interface LooseClient {
  readonly state: ConnectionState;
  on(event: string, handler: Listener): () => void;
  subscribe(channel: string, params?: SubscriptionParams): Subscription;
  latest(type: string, key?: string): unknown;
  onLatest(type: string, key: string | undefined, listener: () => void): () => void;
}

/** Drops the catalogue type: payload types are enforced by the public signatures, not here. @internal @category React */
export function loosen<E extends EventCatalog>(client: Client<E> | undefined): LooseClient | undefined {
  return client as unknown as LooseClient | undefined;
}

/** The pair `useSyncExternalStore` takes. @internal @category React */
export interface ExternalStore<T> {
  readonly subscribe: (listener: () => void) => () => void;
  readonly getSnapshot: () => T;
}

/** An empty log shared by server snapshots and "no client yet", so it is referentially stable. @internal @category React */
export const emptyLog: readonly never[] = Object.freeze([]);
/** The status before a handle exists (and on the server). @internal @category React */
export const pendingStatus: SubscriptionStatus = Object.freeze({ state: 'pending', error: undefined });

/** A store whose value never changes (server rendering, or no client yet). @internal @category React */
export function constantStore<T>(value: T): ExternalStore<T> {
  return { subscribe: () => () => {}, getSnapshot: () => value };
}

/**
 * A store over a client. `read` returns the current value, the same reference while
 * nothing changed (useSyncExternalStore loops otherwise); `attach` starts listening
 * and returns the function that stops.
 *
 * The snapshot is taken when listening starts and on each scheduled flush, never
 * per event: that is what turns a burst into one re-render. It is re-read on
 * attach because events may have arrived between render and subscribe.
 */
function createStore<T>(read: () => T, attach: (changed: () => void) => () => void, scheduler: Scheduler): ExternalStore<T> {
  let snapshot = read();
  // One listener at most: a store belongs to one hook instance, which React subscribes
  // once at a time (StrictMode's second subscribe comes after the first unsubscribe).
  let notify: (() => void) | undefined;
  const flush = (): void => {
    if (!notify) return;
    const next = read();
    if (Object.is(next, snapshot)) return;
    snapshot = next;
    notify();
  };
  return {
    subscribe(listener) {
      notify = listener;
      // Schedulers run a flush queued many times once: a burst costs one read.
      const detach = attach(() => scheduler.schedule(flush));
      snapshot = read();
      return () => {
        notify = undefined;
        detach();
      };
    },
    getSnapshot: () => snapshot,
  };
}

// Connection and subscription states change rarely and drive spinners and banners:
// they are not worth delaying, whatever the provider's `coalesce`.
const immediate = schedulerFor(false);

/** Connection state of a client, updated at once. @internal @category React */
export function connectionStore(client: LooseClient): ExternalStore<ConnectionState> {
  return createStore(() => client.state, (changed) => client.on('state', changed), immediate);
}

/** Keyed last value of a message type: woken only by events of its own key (or of the type, without a key). @internal @category React */
export function latestStore(client: LooseClient, type: string, key: string | undefined, scheduler: Scheduler): ExternalStore<unknown> {
  return createStore(() => client.latest(type, key), (changed) => client.onLatest(type, key, changed), scheduler);
}

/** The most recent `limit` payloads of a message type, oldest first. @internal @category React */
export function logStore(client: LooseClient, type: string, limit: number, scheduler: Scheduler): ExternalStore<readonly unknown[]> {
  const keep = Math.max(1, Math.floor(limit));
  let buffer: unknown[] = [];
  // Undefined once an event arrived: the next read copies the buffer, later reads reuse that copy.
  let snapshot: readonly unknown[] | undefined = emptyLog;
  return createStore(
    () => (snapshot ??= Object.freeze(buffer.slice(-keep))),
    (changed) =>
      client.on(type, (payload) => {
        buffer.push(payload);
        // Trim in chunks: amortised O(1) per event instead of a shift() each time.
        if (buffer.length >= keep * 2) buffer = buffer.slice(-keep);
        snapshot = undefined;
        changed();
      }),
    scheduler,
  );
}

/**
 * One handle on a (channel, params) subscription while listened to; its state shows at
 * once. Releasing is deferred by `graceMs`: StrictMode's unmount + remount (and Fast
 * Refresh) takes a new handle first, so the shared wire subscription never drops and
 * no unsubscribe/subscribe pair goes out.
 * @internal @category React
 */
export function subscriptionStore(
  client: LooseClient,
  channel: string,
  params: SubscriptionParams,
  graceMs: number,
): ExternalStore<SubscriptionStatus> {
  let handle: Subscription | undefined;
  let status = pendingStatus;
  return createStore(
    () => {
      const state = handle?.state ?? 'pending';
      const error = handle?.error;
      if (status.state !== state || status.error !== error) status = Object.freeze({ state, error });
      return status;
    },
    (changed) => {
      // `handle` is read only while listened to; the next attach replaces it.
      const own = client.subscribe(channel, params);
      handle = own;
      const off = own.onState(changed);
      return () => {
        off();
        if (graceMs <= 0) return own.unsubscribe();
        unrefTimer(setTimeout(() => own.unsubscribe(), graceMs));
      };
    },
    immediate,
  );
}
