import type {
  Client,
  ConnectionState,
  DashwireError,
  EventCatalog,
  Freshness,
  Subscription,
  SubscriptionParams,
  SubscriptionState,
} from 'dashwire';
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
  freshness(type: string, key?: string): Freshness;
}

/** What `useLatest(type, key, { withMeta: true })` returns. @category React */
export interface LatestWithMeta<T> {
  readonly value: T | undefined;
  /** When the value last changed; undefined before the first. */
  readonly updatedAt: Date | undefined;
  /** The channel went quiet beyond its threshold, the connection is not open, or no value yet. */
  readonly stale: boolean;
}

/** Options of `useFreshness`. @category React */
export interface FreshnessOptions {
  /** How often the age is re-read while nothing else changes, in ms. @default 1000 */
  readonly intervalMs?: number;
}

/** Drops the catalogue type: payload types are enforced by the public signatures, not here. @internal @category React */
export function loosen<E extends EventCatalog>(client: Client<E> | undefined): LooseClient | undefined {
  return client;
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
function createStore<T>(
  read: () => T,
  attach: (changed: () => void) => () => void,
  scheduler: Scheduler,
): ExternalStore<T> {
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
  return createStore(
    () => client.state,
    (changed) => client.on('state', changed),
    immediate,
  );
}

/** Keyed last value of a message type: woken only by events of its own key (or of the type, without a key). @internal @category React */
export function latestStore(
  client: LooseClient,
  type: string,
  key: string | undefined,
  scheduler: Scheduler,
): ExternalStore<unknown> {
  return createStore(
    () => client.latest(type, key),
    (changed) => {
      // Per key: an event wakes the stores of its own key only.
      const offType = client.onLatest(type, key, changed);
      // A snapshot fills (and a resync replaces) the store without an event of the type.
      const offSnap = onAll(client, ['snapshot', 'resynced'], changed);
      return () => {
        offType();
        offSnap();
      };
    },
    scheduler,
  );
}

/** Lifecycle events after which a value's freshness may have changed without an event of its type. */
const freshnessEvents = ['stale', 'fresh', 'snapshot', 'resynced', 'state'] as const;

function onAll(client: LooseClient, events: readonly string[], changed: () => void): () => void {
  const offs = events.map((event) => client.on(event, changed));
  return () => {
    for (const off of offs) off();
  };
}

/** The server's and the no-client value of `useLatest(…, { withMeta: true })`. @internal @category React */
export const emptyMeta: LatestWithMeta<never> = Object.freeze({ value: undefined, updatedAt: undefined, stale: true });
/** The server's and the no-client value of `useFreshness`. @internal @category React */
export const emptyFreshness: Freshness = Object.freeze({ updatedAt: undefined, ageMs: undefined, stale: true });

/**
 * Keyed last value with when it changed and whether it is stale; the same object while none of
 * the three changed (a snapshot or a `stale` event changes it without an event of the type).
 * @internal @category React
 */
export function latestMetaStore(
  client: LooseClient,
  type: string,
  key: string | undefined,
  scheduler: Scheduler,
): ExternalStore<LatestWithMeta<unknown>> {
  let current: LatestWithMeta<unknown> = emptyMeta;
  return createStore(
    () => {
      const value = client.latest(type, key);
      const { updatedAt, stale } = client.freshness(type, key);
      if (current.value !== value || current.stale !== stale || current.updatedAt?.getTime() !== updatedAt?.getTime())
        current = Object.freeze({ value, updatedAt, stale });
      return current;
    },
    (changed) => {
      const offType = client.onLatest(type, key, changed);
      const offLife = onAll(client, freshnessEvents, changed);
      return () => {
        offType();
        offLife();
      };
    },
    scheduler,
  );
}

/** How old a value is, re-read every `intervalMs` (for "12 s ago") and on every change. @internal @category React */
export function freshnessStore(
  client: LooseClient,
  type: string,
  key: string | undefined,
  intervalMs: number,
  scheduler: Scheduler,
): ExternalStore<Freshness> {
  let current: Freshness = emptyFreshness;
  return createStore(
    () => {
      const next = client.freshness(type, key);
      // Ages are shown in whole intervals: a re-read within one gives back the same object.
      const bucket = (f: Freshness): number | undefined =>
        f.ageMs === undefined ? undefined : Math.floor(f.ageMs / intervalMs);
      if (
        current.stale !== next.stale ||
        current.updatedAt?.getTime() !== next.updatedAt?.getTime() ||
        bucket(current) !== bucket(next)
      )
        current = Object.freeze(next);
      return current;
    },
    (changed) => {
      const offType = client.onLatest(type, key, changed);
      const offLife = onAll(client, freshnessEvents, changed);
      const timer = setInterval(changed, Math.max(50, intervalMs));
      unrefTimer(timer);
      return () => {
        clearInterval(timer);
        offType();
        offLife();
      };
    },
    scheduler,
  );
}

/** The most recent `limit` payloads of a message type, oldest first. @internal @category React */
export function logStore(
  client: LooseClient,
  type: string,
  limit: number,
  scheduler: Scheduler,
): ExternalStore<readonly unknown[]> {
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
