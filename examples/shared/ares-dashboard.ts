/**
 * What both dashboards show for the ARES hub, as pure functions: event cards,
 * the live P&L summary and the connection indicator. The browser page and the React page
 * differ only in how they render these.
 */
import type { AresEvents, ConnectionState, EventPayload } from 'dashwire';

/** Events kept per panel (the original ARES dashboard trims to 50). */
export const panelLimit = 50;

type Payload<K extends keyof AresEvents & string> = EventPayload<AresEvents, K>;
export type SignalEvent = Payload<'signal'>;
export type TradeEvent = Payload<'trade'>;
export type TradeClosedEvent = Payload<'trade_closed'>;
export type MetricsEvent = Payload<'metrics'>;
export type AlertEvent = Payload<'alert'>;

/** Colour of a card's border and title (class `tone-…`). */
export type Tone = 'buy' | 'sell' | 'trade' | 'closed' | 'metrics' | 'alert';

/** One card in a panel. */
export interface EventCard {
  readonly title: string;
  readonly time: string;
  readonly tone: Tone;
  readonly lines: readonly string[];
  /** Set on cards that carry a P&L, so it can be coloured. */
  readonly pnl?: number;
}

const money = (n: number): string => `${n < 0 ? '-' : ''}$${Math.abs(n).toFixed(2)}`;
const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
const clock = (timestamp: string): string => new Date(timestamp).toLocaleTimeString();

export function signalCard({ timestamp, data }: SignalEvent): EventCard {
  const buy = data.action.toUpperCase() === 'BUY';
  return {
    title: data.action.toUpperCase(),
    time: clock(timestamp),
    tone: buy ? 'buy' : 'sell',
    lines: [
      `Strategy: ${data.strategy_name}`,
      `Price: ${money(data.price)}`,
      `Confidence: ${percent(data.confidence)}`,
    ],
  };
}

export function tradeCard({ timestamp, data }: TradeEvent): EventCard {
  return {
    title: `${data.action.toUpperCase()} EXECUTED`,
    time: clock(timestamp),
    tone: 'trade',
    lines: [
      `Strategy: ${data.strategy_name}`,
      `Trade ID: ${data.trade_id}`,
      `Price: ${money(data.entry_price)}`,
      `Quantity: ${data.quantity.toFixed(4)}`,
    ],
  };
}

export function tradeClosedCard({ timestamp, data }: TradeClosedEvent): EventCard {
  return {
    title: 'TRADE CLOSED',
    time: clock(timestamp),
    tone: 'closed',
    lines: [
      `Strategy: ${data.strategy_name}`,
      `Trade ID: ${data.trade_id}`,
      `Entry: ${money(data.entry_price)}`,
      `Exit: ${money(data.exit_price)}`,
      `P&L: ${money(data.pnl)}`,
    ],
    pnl: data.pnl,
  };
}

export function metricsCard({ timestamp, data }: MetricsEvent): EventCard {
  return {
    title: 'METRICS UPDATE',
    time: clock(timestamp),
    tone: 'metrics',
    lines: [
      `Strategy: ${data.strategy_name}`,
      `Trades: ${data.total_trades}`,
      `Win Rate: ${percent(data.win_rate)}`,
      `P&L: ${money(data.total_profit_loss)}`,
    ],
    pnl: data.total_profit_loss,
  };
}

export function alertCard({ timestamp, data }: AlertEvent): EventCard {
  return {
    title: 'ALERT',
    time: clock(timestamp),
    tone: 'alert',
    lines: [`Source: ${data.strategy_name}`, data.message],
  };
}

/** Running P&L, as the original ARES dashboard keeps it: a trade counts once it is closed. */
export interface PnlState {
  readonly closedTrades: number;
  readonly winningTrades: number;
  readonly totalPnl: number;
  readonly openTradeIds: ReadonlySet<string>;
}

export const emptyPnl: PnlState = { closedTrades: 0, winningTrades: 0, totalPnl: 0, openTradeIds: new Set() };

/** Returns a new state (React compares by identity). */
export function pnlAfterTrade(state: PnlState, trade: TradeEvent): PnlState {
  return { ...state, openTradeIds: new Set(state.openTradeIds).add(trade.data.trade_id) };
}

export function pnlAfterClose(state: PnlState, closed: TradeClosedEvent): PnlState {
  const open = new Set(state.openTradeIds);
  open.delete(closed.data.trade_id);
  return {
    closedTrades: state.closedTrades + 1,
    winningTrades: state.winningTrades + (closed.data.pnl > 0 ? 1 : 0),
    totalPnl: state.totalPnl + closed.data.pnl,
    openTradeIds: open,
  };
}

/** The four summary figures as displayed. */
export interface PnlView {
  readonly totalTrades: string;
  readonly activePositions: string;
  readonly winRate: string;
  readonly totalPnl: string;
  readonly positive: boolean;
}

export function pnlView(state: PnlState): PnlView {
  const winRate = state.closedTrades > 0 ? (state.winningTrades / state.closedTrades) * 100 : 0;
  return {
    totalTrades: String(state.closedTrades),
    activePositions: String(state.openTradeIds.size),
    winRate: `${winRate.toFixed(2)}%`,
    totalPnl: money(state.totalPnl),
    positive: state.totalPnl >= 0,
  };
}

/** Text and CSS class of the connection indicator for a client state. */
export function connectionStatus(state: ConnectionState): { readonly text: string; readonly className: string } {
  switch (state) {
    case 'open':
      return { text: 'Connected to ARES', className: 'status-connected' };
    case 'idle':
    case 'connecting':
      return { text: 'Connecting…', className: 'status-connecting' };
    case 'closed':
      return { text: 'Disconnected', className: 'status-disconnected' };
    default: // reconnecting, polling: not live over the socket
      return { text: 'Disconnected - Reconnecting…', className: 'status-disconnected' };
  }
}

/**
 * The feed URL: `?ws=` of the page, else the ARES hub's usual place (its own dashboard connects to
 * port 8080 of the page's host, path `/ws`).
 */
export function feedUrl(location: { readonly search: string; readonly hostname: string }): string {
  const fromQuery = new URLSearchParams(location.search).get('ws');
  return fromQuery || `ws://${location.hostname || '127.0.0.1'}:8080/ws`;
}

/** Reconnect policy of both dashboards: dashwire's backoff, capped near the original dashboard's fixed 3 s. */
export const dashboardReconnect = { initialDelayMs: 500, maxDelayMs: 5_000 } as const;

/** How old the summary's figures are, as shown under it ("12 s ago"; "no data yet" before the first). */
export function ageText(ageMs: number | undefined): string {
  if (ageMs === undefined) return 'no data yet';
  const seconds = Math.floor(ageMs / 1000);
  return seconds < 60 ? `updated ${seconds} s ago` : `updated ${Math.floor(seconds / 60)} min ago`;
}
