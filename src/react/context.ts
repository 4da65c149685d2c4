import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactElement,
  type ReactNode,
} from 'react';
import type { Client, ClientOptions, EventCatalog } from 'dashwire';
import { createClientHolder } from './holder.js';
import { reactDefaults, schedulerFor, type Coalesce, type Scheduler } from './scheduler.js';

/** What the provider hands to the hooks. @category React */
export interface DashwireContextValue {
  /** Undefined while server rendering (and hydrating) under a provider given options. */
  readonly client: Client<EventCatalog> | undefined;
  readonly scheduler: Scheduler;
  readonly graceMs: number;
}

/** The context behind the hooks; exported for tests and custom hooks, most apps never need it. @category React */
export const DashwireContext = createContext<DashwireContextValue | undefined>(undefined);

/** Props shared by both forms of {@link DashwireProvider}. @category React */
export interface DashwireProviderCommonProps {
  /** How data hooks batch re-renders under bursts. @default 'frame' */
  readonly coalesce?: Coalesce;
  /** How long released subscriptions (and a client the provider owns) are kept, in ms. @default 250 */
  readonly graceMs?: number;
  readonly children?: ReactNode;
}

/**
 * Props of {@link DashwireProvider}: your `client` (never closed by the provider), or
 * `options` for a client the provider creates, connects and closes. Options are
 * read once; give the provider a new `key` to apply different ones.
 * @category React
 */
export type DashwireProviderProps<E extends EventCatalog = EventCatalog> = DashwireProviderCommonProps &
  (
    | { readonly client: Client<E>; readonly options?: undefined }
    | { readonly options: ClientOptions<E>; readonly client?: undefined }
  );

// The server snapshot (a server render never creates, let alone connects, a client) and
// the subscription of a provider given a client.
const nothing = (): undefined => undefined;

/** Makes a client available to the dashwire hooks below it. @category React */
export function DashwireProvider<E extends EventCatalog>(props: DashwireProviderProps<E>): ReactElement {
  const { client, options, coalesce = reactDefaults.coalesce, graceMs = reactDefaults.graceMs, children } = props;
  // Constructing a holder has no side effect, so a render React throws away costs nothing.
  const [holder] = useState(() => createClientHolder<E>(client ? undefined : options));
  const ownsClient = client === undefined;
  // Subscribing is acquiring: React subscribes only once committed, and checks the snapshot
  // right after (re-rendering with a client that replaced one closed after an earlier release).
  const subscribe = useCallback(() => (ownsClient ? holder.acquire(graceMs) : nothing), [holder, ownsClient, graceMs]);
  const owned = useSyncExternalStore(subscribe, holder.get, nothing);
  const current = (client ?? owned) as Client<EventCatalog> | undefined;
  const value = useMemo<DashwireContextValue>(
    () => ({ client: current, scheduler: schedulerFor(coalesce), graceMs }),
    [current, coalesce, graceMs],
  );
  // createElement, not JSX: the entry then needs no react/jsx-runtime import.
  return createElement(DashwireContext.Provider, { value }, children);
}

/** Thrown by a hook with no provider above it and no client given. @internal @category React */
export const missingProvider = 'dashwire/react: render inside a <DashwireProvider> or pass a client';

/** The nearest provider's context; throws outside a provider, because every hook would silently show nothing. @internal @category React */
export function useDashwireContext(): DashwireContextValue {
  const context = useContext(DashwireContext);
  if (!context) throw new Error(missingProvider);
  return context;
}

/**
 * The provider's client; undefined while server rendering (and hydrating) under a
 * provider given options. Typed as the default catalogue-free client: use
 * `createDashwireHooks<E>().useClient()` for a typed one.
 * @category React
 */
export function useClient(): Client | undefined {
  return useDashwireContext().client;
}
