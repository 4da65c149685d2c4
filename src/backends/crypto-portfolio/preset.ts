import * as z from 'zod';
import { defineEvents, type EventCatalog, type RejectReserved, type WithChannels } from '../../events.js';
import { keepExtras } from '../../protocol/keep-extras.js';
import { defineProtocol } from '../../protocol/define.js';
import type { HeartbeatOptions, Protocol, SubscriptionParams } from '../../protocol/types.js';
import {
  allowed,
  decimalString,
  keysWithout,
  readTypedFrame,
  typesOf,
  unixSeconds,
  withEvents,
  withoutType,
  type WithEvents,
} from '../shared.js';
import { cryptoPortfolioChannels } from './channels.js';

/**
 * The crypto portfolio service (Rust/Tokio, `/ws/dashboard`): what handlers receive — the flat frame without
 * `type`. Decimals stay strings; `timestamp` is unix seconds. Fields passed to the backend's
 * `broadcast_*` helpers (price, trade, trim) are required; the other three types are shown by
 * one JSON example each, so only their `timestamp` (in all six examples) is required. Every
 * schema keeps fields it does not declare.
 * @category Presets
 */
export const cryptoPortfolioEvents = defineEvents({
  /** `broadcast_price_update(asset, blockchain, price, change_24h)`. */
  price_update: keepExtras({
    asset: z.string(),
    blockchain: z.string(),
    price: decimalString,
    change_24h: decimalString,
    timestamp: unixSeconds,
  }),
  /** `broadcast_trade_executed(trade_id, asset, action, amount, price)`. */
  trade_executed: keepExtras({
    trade_id: z.string(),
    asset: z.string(),
    /** "BUY" or "SELL"; a Rust `String`, so not an enum here. */
    action: z.string(),
    amount: decimalString,
    price: decimalString,
    timestamp: unixSeconds,
  }),
  /** `broadcast_trim_executed(trim_id, asset, amount_sold, profit_realized, reasoning)`. */
  trim_executed: keepExtras({
    trim_id: z.string(),
    asset: z.string(),
    amount_sold: decimalString,
    profit_realized: decimalString,
    reasoning: z.string(),
    timestamp: unixSeconds,
  }),
  /** One example in its description: every field but `timestamp` optional. */
  benchmark_triggered: keepExtras({
    benchmark_id: z.string().optional(),
    asset: z.string().optional(),
    target_price: decimalString.optional(),
    current_price: decimalString.optional(),
    action: z.string().optional(),
    timestamp: unixSeconds,
  }),
  /** One example in its description: every field but `timestamp` optional. */
  portfolio_update: keepExtras({
    total_value_usd: decimalString.optional(),
    change_24h: decimalString.optional(),
    timestamp: unixSeconds,
  }),
  /** One example in its description: every field but `timestamp` optional. */
  conversion_completed: keepExtras({
    conversion_id: z.string().optional(),
    from_asset: z.string().optional(),
    to_asset: z.string().optional(),
    from_amount: decimalString.optional(),
    to_amount: decimalString.optional(),
    timestamp: unixSeconds,
  }),
});

/** The catalogue type of {@link cryptoPortfolio}. Its channels: a channel name, or a message type taken as its own channel. @category Presets */
export type CryptoPortfolioEvents = WithChannels<
  typeof cryptoPortfolioEvents,
  keyof typeof cryptoPortfolioChannels | Extract<keyof typeof cryptoPortfolioEvents, string>
>;

export { cryptoPortfolioChannels };

/** Options of {@link cryptoPortfolio}. @category Presets */
export interface CryptoPortfolioOptions<O extends EventCatalog = {}> {
  /**
   * Your schemas for message types whose shape your server changed, or for types it adds:
   * each replaces the preset's for that type, typed (`{ portfolio_update: mySchema }`).
   * @default none
   */
  readonly events?: O & RejectReserved<O>;
  /**
   * Idle watchdog timing. The server has no application ping, so the client cannot probe:
   * a connection with no frame for `intervalMs + timeoutMs` is presumed dead and replaced.
   * `intervalMs: 0` turns the watchdog off (for feeds that may be quiet for long).
   * @default { intervalMs: 90000, timeoutMs: 30000 } — two minutes of silence
   */
  readonly heartbeat?: Partial<HeartbeatOptions>;
}

/** Defaults of {@link cryptoPortfolio}. @category Presets */
export const cryptoPortfolioDefaults = {
  // Price updates go out whenever a price changes, so two quiet minutes on a live market
  // mean a dead link; reverse proxies (nginx: 60 s) also cut idle sockets about then.
  heartbeat: { intervalMs: 90_000, timeoutMs: 30_000 },
} as const;

/**
 * Channel filter: the channel picks message types (an unknown channel name is taken as a
 * message type name), `params.assets` (array or comma list) keeps only those assets.
 * `portfolio_update` carries no asset and passes any asset filter; a conversion passes
 * when either side is listed.
 */
function matches(channel: string, params: SubscriptionParams, type: string, data: unknown): boolean {
  if (!typesOf(cryptoPortfolioChannels, channel).includes(type)) return false;
  const d = data as Record<string, unknown>;
  if (type === 'portfolio_update') return true;
  if (type === 'conversion_completed')
    return allowed(params, 'assets', d.from_asset) || allowed(params, 'assets', d.to_asset);
  return allowed(params, 'assets', d.asset);
}

/**
 * Preset for the Rust/Tokio crypto portfolio dashboard: flat `{type, …}` frames on
 * `/ws/dashboard`, six message types, nothing sent by the client. Channels are client-side
 * filters ({@link cryptoPortfolioChannels}, params `{ assets: ['SOL'] }`).
 *
 * ```ts
 * const client = createClient({ url: 'ws://localhost:8080/ws/dashboard', protocol: presets.cryptoPortfolio() });
 * client.on('price_update', (m) => m.price); // "100.50": a string
 * ```
 * @category Presets
 */
export function cryptoPortfolio(): Protocol<CryptoPortfolioEvents>;
export function cryptoPortfolio<const O extends EventCatalog = {}>(
  options: CryptoPortfolioOptions<O>,
): Protocol<WithEvents<CryptoPortfolioEvents, O>>;
export function cryptoPortfolio(options: CryptoPortfolioOptions<EventCatalog> = {}): Protocol<EventCatalog> {
  const keys: Protocol<CryptoPortfolioEvents>['keys'] = {
    price_update: (m) => m.asset,
    trade_executed: (m) => m.asset,
    trim_executed: (m) => m.asset,
    benchmark_triggered: (m) => m.asset ?? '',
    conversion_completed: (m) => `${m.from_asset ?? ''}/${m.to_asset ?? ''}`,
  };
  return defineProtocol<EventCatalog>({
    name: 'cryptoPortfolio',
    channels: Object.keys(cryptoPortfolioChannels).filter((c) => c !== 'all'),
    events: withEvents(cryptoPortfolioEvents, options.events),
    decode(frame) {
      const read = readTypedFrame(frame);
      if (!read.ok) return [read.item];
      if (read.type === 'error')
        return [
          {
            kind: 'error',
            code: 'server_error',
            message: typeof read.msg.message === 'string' ? read.msg.message : '',
          },
        ];
      return [{ kind: 'event', type: read.type, data: withoutType(read.msg) }];
    },
    encodeSubscribe: () => null,
    encodeUnsubscribe: () => null,
    encodePing: () => null,
    heartbeat: { ...cryptoPortfolioDefaults.heartbeat, ...options.heartbeat },
    acks: false,
    resumable: false,
    matches,
    keys: keysWithout(keys, options.events) as Protocol<EventCatalog>['keys'],
  });
}
