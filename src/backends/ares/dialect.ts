import { parseJson } from '../../protocol/json.js';
import { channelOf } from '../shared.js';
import { aresChannels } from './channels.js';
import { aresSchemas } from './wire.js';
import type { FeedSource, ServerDialect } from '../../server/dialect.js';
import { envelope, goTime, pick, round, shortId, walker } from '../shared-dialect.js';

const strategies = ['RSI_Oversold', 'MACD_Divergence', 'Trend_Following', 'Support_Bounce', 'Volume_Spike'];
/** The 13 EventBus topics the hub subscribes to. */
const topics = [
  ...strategies.flatMap((s) => [`strategy.${s}.signal`, `strategy.${s}.metrics`]),
  'trade.executed',
  'trade.closed',
  'strategy.promoted',
];

function feed(random: () => number): FeedSource {
  const btc = walker({ BTC: 42_350 }, random);
  const order = aresChannels.all;
  const open: { id: string; strategy: string; entry: number }[] = [];
  let count = 0;
  return (now) => {
    const r = random();
    let type =
      count < order.length
        ? order[count]!
        : r < 0.45
          ? 'signal'
          : r < 0.65
            ? 'trade'
            : r < 0.8
              ? 'trade_closed'
              : r < 0.95
                ? 'metrics'
                : 'alert';
    if (type === 'trade_closed' && open.length === 0) type = 'trade';
    count += 1;
    const strategy = pick(strategies, random);
    const price = round(btc('BTC'), 2);
    let data: Record<string, unknown>;
    if (type === 'signal')
      data = {
        strategy_name: strategy,
        action: random() < 0.5 ? 'BUY' : 'SELL',
        price,
        confidence: round(0.5 + random() * 0.5, 2),
      };
    else if (type === 'trade') {
      const id = shortId('t', count, random);
      open.push({ id, strategy, entry: price });
      data = {
        trade_id: id,
        strategy_name: strategy,
        action: 'BUY',
        entry_price: price,
        quantity: round(0.01 + random() * 0.1, 4),
      };
    } else if (type === 'trade_closed') {
      const t = open.shift()!;
      data = {
        trade_id: t.id,
        strategy_name: t.strategy,
        entry_price: t.entry,
        exit_price: price,
        pnl: round((price - t.entry) * 0.01, 2),
      };
    } else if (type === 'metrics') {
      data = {
        strategy_name: strategy,
        total_trades: 10 + Math.floor(random() * 90),
        win_rate: round(0.4 + random() * 0.3, 2),
        total_profit_loss: round((random() - 0.3) * 500, 2),
      };
    } else if (random() < 0.5)
      data = { strategy_name: strategy, message: 'Strategy promoted to LIVE (100 trades, 65% win rate, Sharpe 1.2)' };
    // "System alerts (e.g., strategy promotion)": not every alert names a strategy.
    else data = { message: 'EventBus reconnected', severity: 'warning' };
    // EventBus payloads are free-form maps: publishers add keys no preset declares.
    data = { ...data, event_id: `ev-${count}`, context: { timeframe: '1m', exchange: 'binance' } };
    return { channel: channelOf(aresChannels, type, 'all') ?? type, type, data: { timestamp: goTime(now), data } };
  };
}

/**
 * Seed 001's Go hub: `/ws`, a `connected` welcome listing the topics, `{type, timestamp, data}`
 * to every client, `{"type":"ping"}` → `pong`. Anything else a client sends is ignored, as the
 * hub's read pump only logs it.
 * @category Mock server
 */
export function aresDialect(): ServerDialect {
  return {
    name: 'ares',
    paths: ['/ws'],
    open(client, host) {
      client.send(
        JSON.stringify({
          type: 'connected',
          timestamp: goTime(host.now()),
          data: { message: 'Connected to ARES real-time updates', topics },
        }),
      );
    },
    message(client, frame, host) {
      if (aresSchemas.client.ping.safeParse(parseJson(frame)).success) {
        client.send(JSON.stringify({ type: 'pong', timestamp: goTime(host.now()), data: null }));
      }
    },
    receives: () => true,
    encode(event) {
      const { timestamp, data } = envelope(event.data, goTime(event.ts));
      return JSON.stringify({ type: event.type, timestamp, data });
    },
    feed,
  };
}
