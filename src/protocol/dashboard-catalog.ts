import * as z from 'zod';
import { defineEvents, type WithChannels } from '../events.js';
import { decimalString as decimal } from './decimal.js';
import { keepExtras } from './keep-extras.js';

/**
 * The default catalogue of the native protocol: what a typical dashboard feed carries.
 * Money and quantities are decimal strings and stay strings; `ts` is unix milliseconds.
 * Like every built-in catalogue, each schema checks the fields it declares and keeps the
 * ones it does not ({@link keepExtras}): a field the server adds reaches the handler.
 * @category Protocol
 */
export const dashboardEvents = defineEvents({
  /** A price tick. Channel `prices`. */
  price_update: keepExtras({
    symbol: z.string(),
    price: decimal,
    change_24h: decimal,
    ts: z.number(),
  }),
  /** An executed trade. Channel `trades`. */
  trade: keepExtras({
    id: z.string(),
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    price: decimal,
    quantity: decimal,
    ts: z.number(),
  }),
  /** An alert for a person to read. Channel `alerts`. */
  alert: keepExtras({
    id: z.string(),
    severity: z.enum(['info', 'warning', 'critical']),
    message: z.string(),
    symbol: z.string().optional(),
    ts: z.number(),
  }),
  /** Portfolio valuation. Channel `portfolio`. */
  portfolio_value: keepExtras({
    account: z.string(),
    total_usd: decimal,
    change_24h: decimal,
    positions: z.number(),
    ts: z.number(),
  }),
});

/** The channels of the default catalogue and the message type each carries. @category Protocol */
export const dashboardChannels = {
  prices: 'price_update',
  trades: 'trade',
  alerts: 'alert',
  portfolio: 'portfolio_value',
} as const;

/** The default native catalogue's type (with its channels, so `subscribe('pricez')` does not compile). @category Protocol */
export type DashboardEvents = WithChannels<typeof dashboardEvents, keyof typeof dashboardChannels>;
