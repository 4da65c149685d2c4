import type { DialectFactory } from '../dialect.js';
import { agentTrackerDialect } from './agent-tracker.js';
import { aresDialect } from './ares.js';
import { channelFeedDialect } from './channel-feed.js';
import { cryptoPortfolioDialect } from './crypto-portfolio.js';
import { sentioDialect } from './sentio.js';

/** The presets' server dialects by preset name, for the registry. @category Mock server */
export const presetDialects: Readonly<Record<string, DialectFactory>> = {
  cryptoPortfolio: () => cryptoPortfolioDialect(),
  ares: () => aresDialect(),
  channelFeed: () => channelFeedDialect(),
  agentTracker: () => agentTrackerDialect(),
  sentio: () => sentioDialect(),
};

export { agentTrackerDialect, aresDialect, channelFeedDialect, cryptoPortfolioDialect, sentioDialect };
