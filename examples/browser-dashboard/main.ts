/**
 * The ARES hub's real-time dashboard without a framework: dashwire's client with the ARES
 * preset replaces the page's hand-rolled WebSocket (fixed 3 s reconnect, unvalidated
 * JSON, a switch on `type`, a 30 s ping timer). Built against dist/index.js by
 * `node examples/build.mjs browser`; the feed URL comes from `?ws=`.
 */
import '../shared/dashboard.css';
import { createClient, presets } from 'dashwire';
import {
  ageText,
  alertCard,
  connectionStatus,
  dashboardReconnect,
  emptyPnl,
  feedUrl,
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
} from '../shared/ares-dashboard.js';

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`dashboard markup is missing ${selector}`);
  return found;
}

function cardElement(card: EventCard): HTMLLIElement {
  const item = document.createElement('li');
  item.className = `event-item tone-${card.tone}`;
  const head = document.createElement('div');
  head.className = 'event-head';
  const title = document.createElement('span');
  title.className = 'event-title';
  title.textContent = card.title;
  const time = document.createElement('span');
  time.className = 'event-time';
  time.textContent = card.time;
  head.append(title, time);
  item.append(head);
  for (const text of card.lines) {
    const line = document.createElement('div');
    line.className = 'event-line';
    // textContent, never innerHTML: strategy names and messages come from the server.
    line.textContent = text;
    if (card.pnl !== undefined && text.startsWith('P&L')) line.classList.add(card.pnl >= 0 ? 'positive' : 'negative');
    item.append(line);
  }
  return item;
}

/** Newest first, at most `panelLimit` cards. */
function prepend(panelId: string, card: EventCard): void {
  const list = element<HTMLUListElement>(`#${panelId} .events`);
  list.prepend(cardElement(card));
  while (list.children.length > panelLimit) list.lastElementChild?.remove();
  element(`#${panelId} .count`).textContent = String(list.children.length);
}

let pnl: PnlState = emptyPnl;
function showPnl(): void {
  const view = pnlView(pnl);
  element('#totalTrades').textContent = view.totalTrades;
  element('#activePositions').textContent = view.activePositions;
  element('#winRate').textContent = view.winRate;
  const total = element('#totalPnL');
  total.textContent = view.totalPnl;
  total.className = `metric-value ${view.positive ? 'positive' : 'negative'}`;
}

const url = feedUrl(window.location);
element('#feedUrl').textContent = url;
const client = createClient({ url, protocol: presets.ares(), reconnect: dashboardReconnect });

client.on('state', ({ current }) => {
  const status = connectionStatus(current);
  const indicator = element('#connection');
  indicator.className = `connection-status ${status.className}`;
  indicator.dataset.state = current;
  element('#connection .status-text').textContent = status.text;
});
// Payloads are already validated and typed by the preset's schemas.
client.on('signal', (m) => prepend('signals', signalCard(m)));
client.on('trade', (m) => {
  prepend('trades', tradeCard(m));
  pnl = pnlAfterTrade(pnl, m);
  showPnl();
});
client.on('trade_closed', (m) => {
  prepend('trades', tradeClosedCard(m));
  pnl = pnlAfterClose(pnl, m);
  showPnl();
});
client.on('metrics', (m) => prepend('metrics', metricsCard(m)));
client.on('alert', (m) => prepend('alerts', alertCard(m)));
client.on('invalid', (m) => console.warn(`[dashwire] dropped an invalid ${m.type ?? 'frame'}: ${m.detail}`));

// Staleness (#16): the summary greys out when trades stop arriving (or the connection is not
// open) and says how old its figures are; re-read every second and on stale/fresh.
function showFreshness(): void {
  const { ageMs, stale } = client.freshness('trade');
  element('#summary').classList.toggle('stale', stale);
  element('#summary').dataset.stale = String(stale);
  element('#summaryAge').textContent = ageText(ageMs);
}
client.on('stale', showFreshness);
client.on('fresh', showFreshness);
setInterval(showFreshness, 1_000);
