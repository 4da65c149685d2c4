import { agentTracker } from './agent-tracker.js';
import { ares } from './ares.js';
import { channelFeed } from './channel-feed.js';
import { cryptoPortfolio } from './crypto-portfolio.js';
import { sentio } from './sentio.js';

/**
 * Protocols of the five existing backends (see docs/presets.md): each a factory taking
 * options for what its backend's description leaves open.
 * @category Presets
 */
export const presets = {
  /** The crypto portfolio service (Rust/Tokio), `/ws/dashboard`. */
  cryptoPortfolio,
  /** The ARES trading hub (Go), `/ws`. */
  ares,
  /** The channel feed (FastAPI), `/ws`. */
  channelFeed,
  /** The agent/task tracker (Node `ws`), `/ws`. */
  agentTracker,
  /** Sentio (FastAPI), one endpoint per feed. */
  sentio,
} as const;

/** Names of the presets (also the mock server's dialect names). @category Presets */
export type PresetName = keyof typeof presets;

export { cryptoPortfolio, cryptoPortfolioChannels, cryptoPortfolioDefaults, cryptoPortfolioEvents, cryptoPortfolioSchemas } from './crypto-portfolio.js';
export type { CryptoPortfolioEvents, CryptoPortfolioOptions } from './crypto-portfolio.js';
export { ares, aresChannels, aresDefaults, aresEvents, aresSchemas } from './ares.js';
export type { AresEvents, AresOptions } from './ares.js';
export { channelFeed, channelFeedChannels, channelFeedDefaults, channelFeedEvents, channelFeedSchemas } from './channel-feed.js';
export type { ChannelFeedEvents, ChannelFeedOptions } from './channel-feed.js';
export { agentTracker, agentTrackerChannels, agentTrackerDefaults, agentTrackerEvents, agentTrackerSchemas, agentSchema, taskSchema } from './agent-tracker.js';
export type { AgentTrackerEvents, AgentTrackerOptions } from './agent-tracker.js';
export { sentio, sentioChannels, sentioDefaults, sentioEvents, sentioSchemas, sentioSignalSchema, sentioChannelOf } from './sentio.js';
export type { SentioChannel, SentioEvents, SentioOptions } from './sentio.js';
export { decimalString, isoDateTime, jsonDate, naiveIsoDateTime, rfc3339, unixSeconds } from './shared.js';
export type { WithEvents } from './shared.js';
