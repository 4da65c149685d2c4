/**
 * Sentio's three dashboard hooks (`useWebSocket.js` of the Sentio dashboard) rebuilt on dashwire's,
 * for an app moving over: same names and return shapes, under a
 * `<DashwireProvider options={{ url: 'ws://host:8000', protocol: presets.sentio() }}>` (the
 * server's base URL).
 * The preset opens one socket per endpoint (`/ws/trade-signals`, `/ws/earnings`,
 * `/ws/notifications`), sends `{"action":"subscribe", symbols, user_id}` on each (again after
 * every reconnect) and answers the heartbeat; the hooks only pick what to show.
 * Not used by the ARES dashboard; the README quotes it.
 */
import { useCallback, useMemo, useState } from 'react';
import { createDashwireHooks } from 'dashwire/react';
import type { DashwireError, EventPayload, SentioEvents } from 'dashwire';

const { useConnectionState, useEventLog, useLatest, useSubscription } = createDashwireHooks<SentioEvents>();

type Signal = EventPayload<SentioEvents, 'trade_signals'>['data'][number];
type Earnings = EventPayload<SentioEvents, 'earnings'>['data'];
type Notification = EventPayload<SentioEvents, 'notification'>['data'];

/** What every original Sentio hook returned besides its data. */
interface FeedStatus {
  readonly loading: boolean;
  readonly error: DashwireError | undefined;
  readonly isConnected: boolean;
}

function useFeed(channel: string, params: Record<string, string | readonly string[]>): FeedStatus {
  const { state, error } = useSubscription(channel, params);
  const isConnected = useConnectionState() === 'open';
  return { loading: state === 'pending', error, isConnected };
}

/** `useTradeSignalsWebSocket(symbols, userId)` → `{ signals, loading, error, isConnected }`. */
export function useTradeSignalsWebSocket(
  symbols: readonly string[],
  userId: string,
): FeedStatus & { signals: readonly Signal[] } {
  const status = useFeed('trade-signals', { symbols, user_id: userId });
  // Each `trade_signals` frame is the full current list; the latest one is what to show.
  const signals = useLatest('trade_signals')?.data ?? [];
  return { ...status, signals };
}

/** `useEarningsWebSocket(userId)` → `{ earnings, loading, error, isConnected }`. */
export function useEarningsWebSocket(userId: string): FeedStatus & { earnings: Earnings | undefined } {
  const status = useFeed('earnings', { user_id: userId });
  return { ...status, earnings: useLatest('earnings')?.data };
}

/** `useNotificationsWebSocket(userId)` → `{ notifications, clearNotifications, isConnected }`. */
export function useNotificationsWebSocket(userId: string): {
  notifications: readonly Notification[];
  clearNotifications: () => void;
  isConnected: boolean;
} {
  const { isConnected } = useFeed('notifications', { user_id: userId });
  const log = useEventLog('notification', { limit: 50 });
  // "Clear" hides what has arrived so far; the log itself belongs to the client.
  const [clearedThrough, setClearedThrough] = useState<object | undefined>(undefined);
  const notifications = useMemo(() => {
    const from = clearedThrough === undefined ? 0 : log.indexOf(clearedThrough as (typeof log)[number]) + 1;
    return log
      .slice(from)
      .map((n) => n.data)
      .reverse();
  }, [log, clearedThrough]);
  const clearNotifications = useCallback(() => setClearedThrough(log.at(-1)), [log]);
  return { notifications, clearNotifications, isConnected };
}
