import type {
  Client,
  ClientEvents,
  ConnectionState,
  EventCatalog,
  EventName,
  EventPayload,
  Freshness,
  SubscriptionParams,
} from 'dashwire';
import { useDashwireContext } from './context.js';
import {
  useConnectionState,
  useEvent,
  useEventLog,
  useFreshness,
  useLatest,
  useSubscription,
  type UntypedHandler,
} from './hooks.js';
import type { EventLogOptions, FreshnessOptions, SubscriptionStatus } from './store.js';

/** Hooks bound to a catalogue `E`, reading the provider's client. @category React */
export interface DashwireHooks<E extends EventCatalog> {
  /** The provider's client; undefined while server rendering under a provider given options. */
  useClient(): Client<E> | undefined;
  /** Connection state; `'idle'` on the server. */
  useConnectionState(): ConnectionState;
  /** Calls `handler` for every event of `type`; the handler is kept in a ref. */
  useEvent<K extends keyof ClientEvents<E>>(type: K, handler: ClientEvents<E>[K]): void;
  /** Subscribes while mounted; returns `{ state, error }`. */
  useSubscription(channel: string, params?: SubscriptionParams): SubscriptionStatus;
  /** Keyed last value of `type`, coalesced. */
  useLatest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined;
  /** The most recent `limit` events of `type`, oldest first, coalesced. */
  useEventLog<K extends EventName<E>>(type: K, options?: EventLogOptions): readonly EventPayload<E, K>[];
  /** How old the value of `type`/`key` is; re-read every `intervalMs`. */
  useFreshness<K extends EventName<E>>(type: K, key?: string, options?: FreshnessOptions): Freshness;
}

/**
 * Hooks typed by catalogue `E` that take the client from `<DashwireProvider>`:
 * `export const { useLatest, useEvent } = createDashwireHooks<typeof events>()`.
 *
 * Trade-off: context cannot carry a type, so `E` is your promise that the provider's
 * client speaks that catalogue; nothing checks it. The plain hooks with a client
 * argument (`useLatest(client, 'price_update', 'SOL')`) infer `E` from the client and
 * cannot drift, at the cost of passing the client down; without one they are
 * catalogue-free and payloads are `unknown`.
 * @category React
 */
export function createDashwireHooks<E extends EventCatalog>(): DashwireHooks<E> {
  return {
    useClient: () => useDashwireContext().client as Client<E> | undefined,
    // The provider forms of the plain hooks, with the catalogue's types put back.
    useConnectionState: () => useConnectionState(),
    useEvent: (type, handler) => useEvent(type as string, handler as unknown as UntypedHandler<string>),
    useSubscription: (channel, params) => useSubscription(channel, params),
    useLatest: <K extends EventName<E>>(type: K, key?: string) =>
      useLatest(type, key) as EventPayload<E, K> | undefined,
    useEventLog: <K extends EventName<E>>(type: K, options?: EventLogOptions) =>
      useEventLog(type, options) as readonly EventPayload<E, K>[],
    useFreshness: (type, key, options) => useFreshness(type, key, options),
  };
}
