import { createDashwireHooks } from 'dashwire/react';
import type { AresEvents } from 'dashwire';

/**
 * dashwire's hooks typed by the ARES catalogue, reading the client of <DashwireProvider>:
 * `useEventLog('signal')` returns `{ timestamp, data: { strategy_name, action, … } }[]`.
 */
export const { useConnectionState, useEvent, useEventLog, useFreshness, useLatest, useSubscription } =
  createDashwireHooks<AresEvents>();
