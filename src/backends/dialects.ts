import type { DialectFactory } from '../server/dialect.js';
import { agentTrackerDialect } from './agent-tracker/dialect.js';
import { aresDialect } from './ares/dialect.js';
import { channelFeedDialect } from './channel-feed/dialect.js';
import { cryptoPortfolioDialect } from './crypto-portfolio/dialect.js';
import type { PresetName } from './names.js';
import { sentioDialect } from './sentio/dialect.js';

/**
 * The mock server's dialect of every preset, by preset name: the server side of the backend
 * registry ({@link PresetName}). Only server entries import this file; client bundles never do.
 * @category Mock server
 */
export const presetDialects = {
  cryptoPortfolio: cryptoPortfolioDialect,
  ares: aresDialect,
  channelFeed: channelFeedDialect,
  agentTracker: agentTrackerDialect,
  sentio: sentioDialect,
} as const satisfies Record<PresetName, DialectFactory>;

export { agentTrackerDialect, aresDialect, channelFeedDialect, cryptoPortfolioDialect, sentioDialect };
