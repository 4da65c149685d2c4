import {
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useSyncExternalStore,
  type DependencyList,
} from 'react';
import type {
  Client,
  ClientEvents,
  ConnectionState,
  EventCatalog,
  EventMeta,
  EventName,
  EventPayload,
  Freshness,
  LifecycleEvents,
  SubscriptionParams,
} from 'dashwire';
// The core's own copy (the React entry keeps `dashwire` external), so params key the same way.
import { stableStringify } from 'dashwire';
import { DashwireContext, missingProvider } from './context.js';
import { reactDefaults, schedulerFor, type Scheduler } from './scheduler.js';
import {
  connectionStore,
  constantStore,
  emptyFreshness,
  emptyLog,
  emptyMeta,
  freshnessStore,
  latestMetaStore,
  latestStore,
  logStore,
  loosen,
  pendingStatus,
  subscriptionStore,
  type EventLogOptions,
  type ExternalStore,
  type FreshnessOptions,
  type LatestWithMeta,
  type Listener,
  type LooseClient,
  type SubscriptionStatus,
} from './store.js';

/** Handler type of the catalogue-free hooks: lifecycle events keep their types, messages are `unknown`. @category React */
export type UntypedHandler<K extends string> = K extends keyof LifecycleEvents
  ? LifecycleEvents[K]
  : (payload: unknown, meta: EventMeta) => void;

/**
 * Development help for the most common first mistake: `useLatest` on a type nothing subscribes
 * to shows `undefined` forever, silently. Counts the mounted `useSubscription`s per client; a
 * `useLatest` that, {@link unsubscribedWarnMs} after mount, has no value while its client is
 * connected and no `useSubscription` is mounted on it, warns once per (client, type).
 */
const subscriptionsInUse = new WeakMap<LooseClient, number>();
const warnedTypes = new WeakMap<LooseClient, Set<string>>();
/** How long `useLatest` waits for a first value before the development warning, in ms. */
const unsubscribedWarnMs = 3_000;

/**
 * True unless the bundler says production. Bundlers replace `process.env.NODE_ENV` textually;
 * in a browser without one `process` does not exist, and the warning stays off.
 */
function isDevelopment(): boolean {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return false;
  }
}

/** Warns once when `type` is read from a connected client nothing in React subscribes on. */
function useUnsubscribedWarning(client: LooseClient | undefined, type: string): void {
  useEffect(() => {
    if (!client || !isDevelopment()) return;
    const timer = setTimeout(() => {
      if ((subscriptionsInUse.get(client) ?? 0) > 0 || client.latest(type) !== undefined) return;
      if (client.state !== 'open' && client.state !== 'polling') return;
      const warned = warnedTypes.get(client) ?? new Set<string>();
      if (warned.has(type)) return;
      warned.add(type);
      warnedTypes.set(client, warned);
      console.warn(
        `dashwire/react: useLatest('${type}') reads, it does not subscribe, and no useSubscription is mounted: add one for the channel carrying '${type}'.`,
      );
    }, unsubscribedWarnMs);
    return () => clearTimeout(timer);
  }, [client, type]);
}

// useLayoutEffect warns (React 18) and never runs on the server; the handler ref only matters in a browser.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

interface Target {
  readonly client: LooseClient | undefined;
  readonly scheduler: Scheduler;
  readonly graceMs: number;
}

// Each hook has two forms: pass a `Client<E>` first and payload types are inferred from its
// catalogue; omit it and the provider's client is used, with `unknown` payloads (context
// cannot carry a type). For typed hooks without passing the client around, see
// createDashwireHooks<E>(), which calls the provider forms.
const isClient = (value: unknown): value is Client<EventCatalog> => typeof value === 'object' && value !== null;

/**
 * Splits a hook's `(client?, a, b)` arguments (a client is an object, a type or channel a
 * string) and resolves the client to use, the one passed in else the provider's, with
 * the provider's settings (the defaults without a provider).
 */
function useTarget(first: unknown, second?: unknown, third?: unknown): [Target, unknown, unknown] {
  const explicit = isClient(first);
  const context = useContext(DashwireContext);
  if (!explicit && !context) throw new Error(missingProvider);
  const target: Target = {
    scheduler: schedulerFor(reactDefaults.coalesce),
    graceMs: reactDefaults.graceMs,
    ...context,
    client: loosen(explicit ? first : context?.client),
  };
  return explicit ? [target, second, third] : [target, first, second];
}

/**
 * Reads the store `create` makes for the client. `server` is the value on the server,
 * while hydrating, and while there is no client yet (a provider given options renders
 * one only after hydration). `deps` are what `create` reads besides the client.
 */
function useStore<T>(
  client: LooseClient | undefined,
  server: T,
  deps: DependencyList,
  create: (client: LooseClient) => ExternalStore<T>,
): T {
  // `create` is a new closure each render: `deps` decide when the store is made again.
  const store = useMemo(() => (client ? create(client) : constantStore(server)), [client, ...deps]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => server);
}

/** Connection state of the provider's client (or of `client`); `'idle'` on the server. @category React */
export function useConnectionState<E extends EventCatalog>(client?: Client<E>): ConnectionState {
  const [target] = useTarget(client);
  return useStore(target.client, 'idle', [], connectionStore);
}

/**
 * Calls `handler` for every event of `type` (messages and lifecycle events alike). The
 * handler is kept in a ref, so an inline function does not re-register each render.
 * @category React
 */
export function useEvent<E extends EventCatalog, K extends keyof ClientEvents<E>>(
  client: Client<E>,
  type: K,
  handler: ClientEvents<E>[K],
): void;
/** Provider form of {@link useEvent}: message payloads are `unknown`. @category React */
export function useEvent<K extends string>(type: K, handler: UntypedHandler<K>): void;
export function useEvent(first: unknown, second: unknown, third?: unknown): void {
  const [{ client }, type, handler] = useTarget(first, second, third) as [Target, string, Listener];
  const latest = useRef(handler);
  useIsomorphicLayoutEffect(() => {
    latest.current = handler;
  });
  // Registered once per (client, type): a new inline handler each render only updates the ref.
  useEffect(() => client?.on(type, (payload, meta) => latest.current(payload, meta)), [client, type]);
}

/**
 * Subscribes to `channel` while mounted and returns its `{ state, error }`. Handles are
 * reference-counted and released after a grace period, so a StrictMode double mount
 * sends one subscribe frame. Params are compared by value.
 * @category React
 */
export function useSubscription<E extends EventCatalog>(
  client: Client<E>,
  channel: string,
  params?: SubscriptionParams,
): SubscriptionStatus;
/** Provider form of {@link useSubscription}. @category React */
export function useSubscription(channel: string, params?: SubscriptionParams): SubscriptionStatus;
export function useSubscription(first: unknown, second?: unknown, third?: unknown): SubscriptionStatus {
  const [{ client, graceMs }, channel, given] = useTarget(first, second, third) as [
    Target,
    string,
    SubscriptionParams | undefined,
  ];
  const params = given ?? {};
  useEffect(() => {
    if (!client) return;
    subscriptionsInUse.set(client, (subscriptionsInUse.get(client) ?? 0) + 1);
    return () => void subscriptionsInUse.set(client, (subscriptionsInUse.get(client) ?? 1) - 1);
  }, [client]);
  // Params are compared by value: an inline `{ symbols: ['AAPL'] }` must not resubscribe each render.
  return useStore(client, pendingStatus, [channel, stableStringify(params), graceMs], (c) =>
    subscriptionStore(c, channel, params, graceMs),
  );
}

/**
 * Last value of message `type` for `key` (or the most recent of the type), re-rendering
 * at most once per coalescing window; `undefined` until one arrives and on the server.
 * It does not subscribe: pair it with `useSubscription` (in development, a console warning
 * says so when nothing in React subscribes and no value came).
 * With `{ withMeta: true }` it returns `{ value, updatedAt, stale }`, re-rendering also when
 * the value goes stale or fresh (grey a number out while `stale`).
 * @category React
 */
export function useLatest<E extends EventCatalog, K extends EventName<E>>(
  client: Client<E>,
  type: K,
  key: string | undefined,
  options: { readonly withMeta: true },
): LatestWithMeta<EventPayload<E, K>>;
export function useLatest<E extends EventCatalog, K extends EventName<E>>(
  client: Client<E>,
  type: K,
  key?: string,
): EventPayload<E, K> | undefined;
/** Provider form of {@link useLatest}: the payload is `unknown`. @category React */
export function useLatest(
  type: string,
  key: string | undefined,
  options: { readonly withMeta: true },
): LatestWithMeta<unknown>;
export function useLatest(type: string, key?: string): unknown;
export function useLatest(first: unknown, second?: unknown, third?: unknown, fourth?: unknown): unknown {
  const [{ client, scheduler }, type, key] = useTarget(first, second, third) as [Target, string, string | undefined];
  useUnsubscribedWarning(client, type);
  const options = (isClient(first) ? fourth : third) as { readonly withMeta?: boolean } | undefined;
  const withMeta = options?.withMeta === true;
  return useStore<unknown>(client, withMeta ? emptyMeta : undefined, [type, key, scheduler, withMeta], (c) =>
    withMeta ? latestMetaStore(c, type, key, scheduler) : latestStore(c, type, key, scheduler),
  );
}

/**
 * How old the value `useLatest(type, key)` shows is: `{ updatedAt, ageMs, stale }`, re-read
 * every `intervalMs` (default 1 s) so an age label ("12 s ago") keeps counting.
 * @category React
 */
export function useFreshness<E extends EventCatalog, K extends EventName<E>>(
  client: Client<E>,
  type: K,
  key?: string,
  options?: FreshnessOptions,
): Freshness;
/** Provider form of {@link useFreshness}. @category React */
export function useFreshness(type: string, key?: string, options?: FreshnessOptions): Freshness;
export function useFreshness(first: unknown, second?: unknown, third?: unknown, fourth?: unknown): Freshness {
  const [{ client, scheduler }, type, key] = useTarget(first, second, third) as [Target, string, string | undefined];
  const options = (isClient(first) ? fourth : third) as FreshnessOptions | undefined;
  const intervalMs = options?.intervalMs ?? 1_000;
  return useStore(client, emptyFreshness, [type, key, scheduler, intervalMs], (c) =>
    freshnessStore(c, type, key, intervalMs, scheduler),
  );
}

/**
 * The most recent `limit` events of `type` (default 50) received since this component
 * mounted, oldest first, as a frozen array that changes identity only when events arrived;
 * `[]` on the server. Each mount starts an empty log of its own; it does not subscribe.
 * @category React
 */
export function useEventLog<E extends EventCatalog, K extends EventName<E>>(
  client: Client<E>,
  type: K,
  options?: EventLogOptions,
): readonly EventPayload<E, K>[];
/** Provider form of {@link useEventLog}: payloads are `unknown`. @category React */
export function useEventLog(type: string, options?: EventLogOptions): readonly unknown[];
export function useEventLog(first: unknown, second?: unknown, third?: unknown): readonly unknown[] {
  const [{ client, scheduler }, type, options] = useTarget(first, second, third) as [
    Target,
    string,
    EventLogOptions | undefined,
  ];
  const limit = options?.limit ?? reactDefaults.logLimit;
  return useStore<readonly unknown[]>(client, emptyLog, [type, limit, scheduler], (c) =>
    logStore(c, type, limit, scheduler),
  );
}
