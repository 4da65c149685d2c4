// Samples of docs/react.md. `npm run typecheck` compiles this file.
import type { DashboardEvents } from 'dashwire';
import { createDashwireHooks, DashwireProvider } from 'dashwire/react';

// Typed hooks that read the provider's client. DashboardEvents is the type of the native
// protocol's default catalogue (prices, trades, alerts, portfolio); for your own catalogue
// pass `typeof events`.
const { useConnectionState, useEventLog, useLatest, useSubscription } = createDashwireHooks<DashboardEvents>();

export function App() {
  // The provider creates the client from `options` in the browser, after hydration, and closes
  // it on unmount: nothing connects at import time, and nothing connects during SSR.
  return (
    <DashwireProvider options={{ url: 'wss://feed.example.com/ws' }} coalesce="frame" graceMs={250}>
      <Indicator />
      <Ticker symbol="BTC" />
      <Trades />
    </DashwireProvider>
  );
}

function Indicator() {
  const state = useConnectionState(); // 'idle' | 'connecting' | 'open' | 'reconnecting' | 'polling' | 'closed'
  return <span className={state === 'open' || state === 'polling' ? 'ok' : 'down'}>{state}</span>;
}

function Ticker({ symbol }: { symbol: string }) {
  useSubscription('prices'); // useLatest reads; this is what asks the server for prices
  const tick = useLatest('price_update', symbol); // typed from the schema, or undefined
  return <b>{tick?.price ?? '—'}</b>;
}

function Trades() {
  const { state } = useSubscription('trades');
  // The trades this component has seen since it mounted (at most 50), oldest first.
  const trades = useEventLog('trade', { limit: 50 });
  return state === 'subscribed' ? (
    <ul>
      {trades.map((t) => (
        <li key={t.id}>
          {t.side} {t.quantity} {t.symbol} @ {t.price}
        </li>
      ))}
    </ul>
  ) : (
    <p>{state}…</p>
  );
}

// The other form: a client you create yourself, lazily, and own.
import { createClient } from 'dashwire';
const client = createClient({ url: 'wss://feed.example.com/ws', lazy: true });
export function AppWithOwnClient() {
  return (
    <DashwireProvider client={client}>
      <Ticker symbol="SOL" />
    </DashwireProvider>
  );
}
