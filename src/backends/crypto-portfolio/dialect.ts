import { isRecord } from '../../protocol/json.js';
import { channelOf } from '../shared.js';
import { cryptoPortfolioChannels } from './channels.js';
import type { FeedItem, FeedSource, ServerDialect } from '../../server/dialect.js';
import { decimal, pick, shortId, walker } from '../shared-dialect.js';

const opens: Readonly<Record<string, number>> = { BTC: 64_000, ETH: 3_200, SOL: 150 };
const chains: Readonly<Record<string, string>> = { BTC: 'Bitcoin', ETH: 'Ethereum', SOL: 'Solana' };
const assets = Object.keys(opens);

/** Synthetic seed-000 feed: every type first, then mostly price updates, each with fields no schema declares. */
function feed(random: () => number): FeedSource {
  const price = walker(opens, random);
  const order = cryptoPortfolioChannels.all;
  let count = 0;
  const make = (type: string, now: number): FeedItem => {
    const channel = channelOf(cryptoPortfolioChannels, type, 'all') ?? type;
    const timestamp = Math.floor(now / 1000);
    const asset = pick(assets, random);
    const p = price(asset);
    const change = decimal(((p - (opens[asset] ?? p)) / (opens[asset] ?? p)) * 100, 1);
    const id = shortId(type.slice(0, 2), count, random);
    const data: Record<string, Record<string, unknown>> = {
      price_update: { asset, blockchain: chains[asset], price: decimal(p, 2), change_24h: change, timestamp },
      trade_executed: {
        trade_id: id,
        asset,
        action: random() < 0.5 ? 'BUY' : 'SELL',
        amount: decimal(0.1 + random() * 3, 4),
        price: decimal(p, 2),
        timestamp,
      },
      trim_executed: {
        trim_id: id,
        asset,
        amount_sold: decimal(0.05 + random(), 4),
        profit_realized: decimal(random() * 5_000, 2),
        reasoning: 'Market conditions favorable for profit taking',
        timestamp,
      },
      benchmark_triggered: {
        benchmark_id: id,
        asset,
        target_price: decimal(p * 0.99, 2),
        current_price: decimal(p, 2),
        action: 'ALERT',
        timestamp,
      },
      portfolio_update: {
        total_value_usd: decimal(45_000 + random() * 10_000, 2),
        change_24h: decimal((random() - 0.4) * 8, 1),
        timestamp,
      },
      conversion_completed: {
        conversion_id: id,
        from_asset: 'USDC',
        to_asset: asset,
        from_amount: '1000.00',
        to_amount: decimal(1000 / p, 6),
        timestamp,
      },
    };
    // Fields no preset declares, top level and nested, as a newer server adds them: clients
    // must keep them (docs/validation.md "What is kept").
    const extra = { sequence: count, source: { service: 'price-monitor', region: 'us-east-1' } };
    // Only the fields seed 000 always sends: a benchmark or conversion may come without the rest.
    if (type === 'benchmark_triggered' && random() < 0.3)
      return { channel, type, data: { benchmark_id: id, action: 'ALERT', timestamp, ...extra } };
    return { channel, type, data: { ...data[type], ...extra } };
  };
  return (now) => {
    const r = random();
    const type = count < order.length ? order[count]! : r < 0.7 ? 'price_update' : pick(order.slice(1), random);
    count += 1;
    return make(type, now);
  };
}

/**
 * Seed 000's Rust server: `/ws/dashboard`, flat `{type, …}` frames to every client, no
 * welcome, and nothing read from clients (Late subscribers get no history).
 * @category Mock server
 */
export function cryptoPortfolioDialect(): ServerDialect {
  return {
    name: 'cryptoPortfolio',
    paths: ['/ws/dashboard'],
    open() {},
    message() {},
    receives: () => true,
    encode(event) {
      const fields = isRecord(event.data) ? event.data : {};
      return JSON.stringify({
        type: event.type,
        ...fields,
        timestamp: fields.timestamp ?? Math.floor(event.ts / 1000),
      });
    },
    feed,
  };
}
