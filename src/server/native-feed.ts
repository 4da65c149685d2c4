import type { FeedItem, FeedSource } from './dialect.js';

interface Instrument {
  readonly symbol: string;
  /** Opening price of the simulated day, USD. */
  readonly open: number;
  /** Decimal places of quoted prices. */
  readonly priceDp: number;
  /** Decimal places of traded quantities (crypto trades fractions). */
  readonly qtyDp: number;
  /** Typical trade size. */
  readonly lot: number;
}

const instruments: readonly Instrument[] = [
  { symbol: 'BTC', open: 64_000, priceDp: 2, qtyDp: 4, lot: 0.5 },
  { symbol: 'ETH', open: 3_200, priceDp: 2, qtyDp: 4, lot: 4 },
  { symbol: 'SOL', open: 150, priceDp: 2, qtyDp: 3, lot: 40 },
  { symbol: 'AAPL', open: 190, priceDp: 2, qtyDp: 0, lot: 50 },
  { symbol: 'MSFT', open: 410, priceDp: 2, qtyDp: 0, lot: 30 },
  { symbol: 'NVDA', open: 120, priceDp: 2, qtyDp: 0, lot: 80 },
  { symbol: 'TSLA', open: 240, priceDp: 2, qtyDp: 0, lot: 40 },
];

/** Units held per account, so `portfolio_value` follows the simulated prices. */
const holdings: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'acc-main': { BTC: 0.8, ETH: 12, SOL: 300, AAPL: 120 },
  'acc-growth': { NVDA: 400, TSLA: 90, MSFT: 60, SOL: 150 },
};

const alertTemplates: readonly ((symbol: string, move: string) => string)[] = [
  (s, m) => `${s} moved ${m}% since the open`,
  (s) => `${s} volume is 3× its 30-day average`,
  (s) => `${s} crossed its 50-day moving average`,
  (s) => `Price alert triggered for ${s}`,
];

/** Fixed-point decimal string; never "-0.00", which reads as a bug on a dashboard. */
function decimal(value: number, dp: number): string {
  const text = value.toFixed(dp);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))] as T;
}

/**
 * The native synthetic feed: a random walk per symbol, with trades, alerts and portfolio
 * values derived from it. The first four events are one of each type, so a short run
 * still shows every type; after that prices dominate, as on a real dashboard.
 * @category Mock server
 */
export function nativeFeed(random: () => number): FeedSource {
  const prices = new Map(instruments.map((i) => [i.symbol, i.open]));
  let count = 0;
  const kinds = ['price', 'trade', 'alert', 'portfolio'] as const;

  const change = (i: Instrument): number => (((prices.get(i.symbol) ?? i.open) - i.open) / i.open) * 100;

  const price = (now: number): FeedItem => {
    const i = pick(instruments, random);
    // ±0.25% a tick, pulled gently back to the open so a long run stays plausible.
    const current = prices.get(i.symbol) ?? i.open;
    const next = current * (1 + (random() - 0.5) * 0.005) + (i.open - current) * 0.001;
    prices.set(i.symbol, next);
    return {
      channel: 'prices',
      type: 'price_update',
      data: { symbol: i.symbol, price: decimal(next, i.priceDp), change_24h: decimal(change(i), 2), ts: now },
    };
  };

  const trade = (now: number): FeedItem => {
    const i = pick(instruments, random);
    const qty = Math.max(10 ** -i.qtyDp, i.lot * (0.1 + random() * 1.9));
    return {
      channel: 'trades',
      type: 'trade',
      data: {
        id: `t-${count}`,
        symbol: i.symbol,
        side: random() < 0.5 ? 'buy' : 'sell',
        price: decimal(prices.get(i.symbol) ?? i.open, i.priceDp),
        quantity: decimal(qty, i.qtyDp),
        ts: now,
      },
    };
  };

  const alert = (now: number): FeedItem => {
    const i = pick(instruments, random);
    const r = random();
    return {
      channel: 'alerts',
      type: 'alert',
      data: {
        id: `a-${count}`,
        severity: r < 0.6 ? 'info' : r < 0.9 ? 'warning' : 'critical',
        message: pick(alertTemplates, random)(i.symbol, decimal(change(i), 1)),
        symbol: i.symbol,
        ts: now,
      },
    };
  };

  const portfolio = (now: number): FeedItem => {
    const account = pick(Object.keys(holdings), random);
    const held = Object.entries(holdings[account] ?? {});
    let total = 0;
    let open = 0;
    for (const [symbol, units] of held) {
      const i = instruments.find((x) => x.symbol === symbol);
      total += units * (prices.get(symbol) ?? i?.open ?? 0);
      open += units * (i?.open ?? 0);
    }
    return {
      channel: 'portfolio',
      type: 'portfolio_value',
      data: {
        account,
        total_usd: decimal(total, 2),
        change_24h: decimal(open === 0 ? 0 : ((total - open) / open) * 100, 2),
        positions: held.length,
        ts: now,
      },
    };
  };

  const make = { price, trade, alert, portfolio };
  return (now) => {
    const r = random();
    const kind =
      count < kinds.length ? kinds[count]! : r < 0.6 ? 'price' : r < 0.85 ? 'trade' : r < 0.95 ? 'portfolio' : 'alert';
    count += 1;
    return make[kind](now);
  };
}

/** A small seeded PRNG (mulberry32), for feeds that repeat run after run. @category Mock server */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
