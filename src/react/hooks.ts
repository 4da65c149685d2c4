import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { Client, ClientEvents, ConnectionState, EventCatalog, EventMeta, EventName, EventPayload, LifecycleEvents, SubscriptionParams } from 'dashwire';
import { stableStringify } from '../protocol/json.js';
import { DashwireContext } from './context.js';
import { reactDefaults, schedulerFor, type Scheduler } from './scheduler.js';
import {
  connectionStore,
  constantStore,
  emptyLog,
  latestStore,
  logStore,
  loosen,
  pendingStatus,
  subscriptionStore,
  type EventLogOptions,
  type Listener,
  type LooseClient,
  type SubscriptionStatus,
} from './store.js';

/** Handler type of the catalogue-free hooks: lifecycle events keep their types, messages are `unknown`. @category React */
export type UntypedHandler<K extends string> = K extends keyof LifecycleEvents ? LifecycleEvents[K] : (payload: unknown, meta: EventMeta) => void;

// Lifecycle notifications are rare and drive spinners and banners: they are not worth delaying.
const immediate = schedulerFor(false);
const idleStore = constantStore<ConnectionState>('idle');
const undefinedStore = constantStore<unknown>(undefined);
const emptyLogStore = constantStore<readonly unknown[]>(emptyLog);
const pendingStore = constantStore<SubscriptionStatus>(pendingStatus);
const serverIdle = (): ConnectionState => 'idle';
const serverUndefined = (): undefined => undefined;
const serverEmpty = (): readonly never[] => emptyLog;
const serverPending = (): SubscriptionStatus => pendingStatus;

// useLayoutEffect warns (React 18) and never runs on the server; the handler ref only matters in a browser.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

interface Target {
  readonly client: LooseClient | undefined;
  readonly scheduler: Scheduler;
  readonly graceMs: number;
}

/** The client to use (the one passed in, else the provider's) and the provider's settings. */
function useTarget<E extends EventCatalog>(explicit: Client<E> | undefined): Target {
  const context = useContext(DashwireContext);
  if (!explicit && !context) throw new Error('dashwire/react: wrap the tree in <DashwireProvider> or pass a client to the hook');
  const client = explicit ?? context?.client;
  return {
    client: client ? loosen(client) : undefined,
    scheduler: context?.scheduler ?? schedulerFor(reactDefaults.coalesce),
    graceMs: context?.graceMs ?? reactDefaults.graceMs,
  };
}

// The `…Of` hooks are shared by the plain hooks and createDashwireHooks; `explicit`
// undefined means "the provider's client". Not part of the public entry.

/** Connection state of the given or provider client. @internal @category React */
export function useConnectionStateOf<E extends EventCatalog>(explicit: Client<E> | undefined): ConnectionState {
  const { client } = useTarget(explicit);
  const store = useMemo(() => (client ? connectionStore(client, immediate) : idleStore), [client]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverIdle);
}

/** Registers a ref-held handler once per (client, type). @internal @category React */
export function useEventOf<E extends EventCatalog>(explicit: Client<E> | undefined, type: string, handler: Listener): void {
  const { client } = useTarget(explicit);
  const latest = useRef(handler);
  useIsomorphicLayoutEffect(() => {
    latest.current = handler;
  });
  // Registered once per (client, type): a new inline handler each render only updates the ref.
  useEffect(() => client?.on(type, (payload, meta) => latest.current(payload, meta)), [client, type]);
}

/** Holds a subscription handle while mounted. @internal @category React */
export function useSubscriptionOf<E extends EventCatalog>(
  explicit: Client<E> | undefined,
  channel: string,
  params: SubscriptionParams | undefined,
): SubscriptionStatus {
  const { client, graceMs } = useTarget(explicit);
  // Params are compared by value: an inline `{ symbols: ['AAPL'] }` must not resubscribe each render.
  const paramsKey = stableStringify(params ?? {});
  const store = useMemo(
    () => (client ? subscriptionStore(client, channel, params ?? {}, graceMs, immediate) : pendingStore),
    // `paramsKey` stands for `params`: equal params from a later render are the same subscription.
    [client, channel, paramsKey, graceMs],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverPending);
}

/** Coalesced keyed last value. @internal @category React */
export function useLatestOf<E extends EventCatalog>(explicit: Client<E> | undefined, type: string, key: string | undefined): unknown {
  const { client, scheduler } = useTarget(explicit);
  const store = useMemo(() => (client ? latestStore(client, type, key, scheduler) : undefinedStore), [client, type, key, scheduler]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverUndefined);
}

/** Coalesced log of the most recent events. @internal @category React */
export function useEventLogOf<E extends EventCatalog>(explicit: Client<E> | undefined, type: string, options: EventLogOptions | undefined): readonly unknown[] {
  const { client, scheduler } = useTarget(explicit);
  const limit = options?.limit ?? reactDefaults.logLimit;
  const store = useMemo(() => (client ? logStore(client, type, limit, scheduler) : emptyLogStore), [client, type, limit, scheduler]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, serverEmpty);
}

// ── Plain hooks ─────────────────────────────────────────────────────────
// Two forms each: pass a `Client<E>` first and payload types are inferred from its
// catalogue; omit it and the provider's client is used, with `unknown` payloads
// (context cannot carry a type). For typed hooks without passing the client
// around, see createDashwireHooks<E>().

const isClient = (value: unknown): value is Client<EventCatalog> => typeof value === 'object' && value !== null;

/** Connection state of the provider's client (or of `client`); `'idle'` on the server. @category React */
export function useConnectionState<E extends EventCatalog>(client?: Client<E>): ConnectionState {
  return useConnectionStateOf(client);
}

/**
 * Calls `handler` for every event of `type` (messages and lifecycle events alike). The
 * handler is kept in a ref, so an inline function does not re-register each render.
 * @category React
 */
export function useEvent<E extends EventCatalog, K extends keyof ClientEvents<E>>(client: Client<E>, type: K, handler: ClientEvents<E>[K]): void;
/** Provider form of {@link useEvent}: message payloads are `unknown`. @category React */
export function useEvent<K extends string>(type: K, handler: UntypedHandler<K>): void;
export function useEvent(first: unknown, second: unknown, third?: unknown): void {
  const explicit = isClient(first);
  const type = (explicit ? second : first) as string;
  const handler = (explicit ? third : second) as Listener;
  useEventOf(explicit ? first : undefined, type, handler);
}

/**
 * Subscribes to `channel` while mounted and returns its `{ state, error }`. Handles are
 * reference-counted and released after a grace period, so a StrictMode double mount
 * sends one subscribe frame. Params are compared by value.
 * @category React
 */
export function useSubscription<E extends EventCatalog>(client: Client<E>, channel: string, params?: SubscriptionParams): SubscriptionStatus;
/** Provider form of {@link useSubscription}. @category React */
export function useSubscription(channel: string, params?: SubscriptionParams): SubscriptionStatus;
export function useSubscription(first: unknown, second?: unknown, third?: unknown): SubscriptionStatus {
  const explicit = isClient(first);
  const channel = (explicit ? second : first) as string;
  const params = (explicit ? third : second) as SubscriptionParams | undefined;
  return useSubscriptionOf(explicit ? first : undefined, channel, params);
}

/**
 * Last value of message `type` for `key` (or the most recent of the type), re-rendering
 * at most once per coalescing window; `undefined` until one arrives and on the server.
 * @category React
 */
export function useLatest<E extends EventCatalog, K extends EventName<E>>(client: Client<E>, type: K, key?: string): EventPayload<E, K> | undefined;
/** Provider form of {@link useLatest}: the payload is `unknown`. @category React */
export function useLatest(type: string, key?: string): unknown;
export function useLatest(first: unknown, second?: unknown, third?: unknown): unknown {
  const explicit = isClient(first);
  const type = (explicit ? second : first) as string;
  const key = (explicit ? third : second) as string | undefined;
  return useLatestOf(explicit ? first : undefined, type, key);
}

/**
 * The most recent `limit` events of `type` (default 50), oldest first, as a frozen
 * array that changes identity only when events arrived; `[]` on the server.
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
  const explicit = isClient(first);
  const type = (explicit ? second : first) as string;
  const options = (explicit ? third : second) as EventLogOptions | undefined;
  return useEventLogOf(explicit ? first : undefined, type, options);
}
