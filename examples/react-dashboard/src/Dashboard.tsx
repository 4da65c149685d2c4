import { useMemo, useReducer, type ReactElement } from 'react';
import {
  ageText,
  alertCard,
  connectionStatus,
  emptyPnl,
  metricsCard,
  panelLimit,
  pnlAfterClose,
  pnlAfterTrade,
  pnlView,
  signalCard,
  tradeCard,
  tradeClosedCard,
  type EventCard,
  type PnlState,
  type TradeClosedEvent,
  type TradeEvent,
} from '../../shared/ares-dashboard.js';
import { useConnectionState, useEvent, useEventLog, useFreshness } from './hooks.js';

/** Stable React keys for payload objects (events carry no id of their own). */
const keys = new WeakMap<object, number>();
let nextKey = 0;
const keyOf = (payload: object): number => {
  let key = keys.get(payload);
  if (key === undefined) keys.set(payload, (key = nextKey++));
  return key;
};

function ConnectionIndicator(): ReactElement {
  const state = useConnectionState();
  const status = connectionStatus(state);
  return (
    <div
      className={`connection-status ${status.className}`}
      id="connection"
      data-testid="connection"
      data-state={state}
    >
      <span className="status-dot" />
      <span className="status-text">{status.text}</span>
    </div>
  );
}

type PnlAction =
  | { readonly kind: 'trade'; readonly event: TradeEvent }
  | { readonly kind: 'closed'; readonly event: TradeClosedEvent };
const pnlReducer = (state: PnlState, action: PnlAction): PnlState =>
  action.kind === 'trade' ? pnlAfterTrade(state, action.event) : pnlAfterClose(state, action.event);

function PnlSummary(): ReactElement {
  const [pnl, dispatch] = useReducer(pnlReducer, emptyPnl);
  // Every event counts here, so useEvent (each one) rather than useEventLog (the last 50).
  useEvent('trade', (event) => dispatch({ kind: 'trade', event }));
  useEvent('trade_closed', (event) => dispatch({ kind: 'closed', event }));
  const view = pnlView(pnl);
  // Staleness (#16): greyed out with its age when trades stop arriving or the link is down.
  const { ageMs, stale } = useFreshness('trade');
  const metric = (label: string, id: string, value: string, className = ''): ReactElement => (
    <div className="metric">
      <div className="metric-label">{label}</div>
      <div className={`metric-value ${className}`.trim()} id={id}>
        {value}
      </div>
    </div>
  );
  return (
    <section
      className={stale ? 'summary stale' : 'summary'}
      id="summary"
      data-stale={String(stale)}
      aria-label="Live P&L summary"
    >
      {metric('Total Trades', 'totalTrades', view.totalTrades)}
      {metric('Active Positions', 'activePositions', view.activePositions)}
      {metric('Win Rate', 'winRate', view.winRate)}
      {metric('Total P&L', 'totalPnL', view.totalPnl, view.positive ? 'positive' : 'negative')}
      <div className="summary-age" id="summaryAge" data-testid="summary-age">
        {ageText(ageMs)}
      </div>
    </section>
  );
}

interface Keyed {
  readonly key: number;
  readonly card: EventCard;
}

function Panel({ id, title, items }: { id: string; title: string; items: readonly Keyed[] }): ReactElement {
  return (
    <section className="panel" id={id}>
      <h2>
        {title} <span className="count">{items.length}</span>
      </h2>
      <ul className="events">
        {items.map(({ key, card }) => (
          <li key={key} className={`event-item tone-${card.tone}`}>
            <div className="event-head">
              <span className="event-title">{card.title}</span>
              <span className="event-time">{card.time}</span>
            </div>
            {card.lines.map((line, i) => (
              <div
                key={i}
                className={`event-line ${card.pnl !== undefined && line.startsWith('P&L') ? (card.pnl >= 0 ? 'positive' : 'negative') : ''}`.trim()}
              >
                {line}
              </div>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Newest first, as the original ARES dashboard's panels prepend. */
function newestFirst<T extends object>(log: readonly T[], toCard: (event: T) => EventCard): Keyed[] {
  return log.map((event) => ({ key: keyOf(event), card: toCard(event) })).reverse();
}

function Panels(): ReactElement {
  // Each log holds the last 50 events of one type and re-renders at most once a frame.
  const signals = useEventLog('signal', { limit: panelLimit });
  const trades = useEventLog('trade', { limit: panelLimit });
  const closed = useEventLog('trade_closed', { limit: panelLimit });
  const metrics = useEventLog('metrics', { limit: panelLimit });
  const alerts = useEventLog('alert', { limit: panelLimit });
  // Executions and closures share a panel: merge the two logs by the hub's timestamp.
  const tradeItems = useMemo(() => {
    const all = [
      ...trades.map((e) => ({ at: Date.parse(e.timestamp), key: keyOf(e), card: tradeCard(e) })),
      ...closed.map((e) => ({ at: Date.parse(e.timestamp), key: keyOf(e), card: tradeClosedCard(e) })),
    ];
    return all.sort((a, b) => b.at - a.at).slice(0, panelLimit);
  }, [trades, closed]);
  return (
    <main className="dashboard-grid">
      <Panel id="signals" title="Live Signals" items={useMemo(() => newestFirst(signals, signalCard), [signals])} />
      <Panel id="trades" title="Trade Executions" items={tradeItems} />
      <Panel
        id="metrics"
        title="Strategy Metrics"
        items={useMemo(() => newestFirst(metrics, metricsCard), [metrics])}
      />
      <Panel id="alerts" title="System Alerts" items={useMemo(() => newestFirst(alerts, alertCard), [alerts])} />
    </main>
  );
}

/** The ARES hub's dashboard: indicator, live P&L summary and four panels of the last 50 events. */
export function Dashboard({ url }: { url: string }): ReactElement {
  return (
    <>
      <header>
        <div>
          <h1>ARES real-time dashboard</h1>
          <div className="feed-url" id="feedUrl">
            {url}
          </div>
        </div>
        <ConnectionIndicator />
      </header>
      <PnlSummary />
      <Panels />
    </>
  );
}
