/**
 * React bindings: a provider and hooks on `useSyncExternalStore`.
 * @module dashwire/react
 */
export { DashwireContext, DashwireProvider, useClient } from './context.js';
export type { DashwireContextValue, DashwireProviderCommonProps, DashwireProviderProps } from './context.js';
export { useConnectionState, useEvent, useEventLog, useFreshness, useLatest, useSubscription } from './hooks.js';
export type { UntypedHandler } from './hooks.js';
export { createDashwireHooks } from './factory.js';
export type { DashwireHooks } from './factory.js';
export { reactDefaults } from './scheduler.js';
export type { Coalesce, Scheduler } from './scheduler.js';
export type { EventLogOptions, FreshnessOptions, LatestWithMeta, SubscriptionStatus } from './store.js';
