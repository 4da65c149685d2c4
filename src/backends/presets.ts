import type { Protocol } from '../protocol/types.js';
import { agentTracker } from './agent-tracker/preset.js';
import { ares } from './ares/preset.js';
import { channelFeed } from './channel-feed/preset.js';
import { cryptoPortfolio } from './crypto-portfolio/preset.js';
import type { PresetName } from './names.js';
import { sentio } from './sentio/preset.js';

/**
 * What every entry of {@link presets} is: a factory whose options all have defaults. `keys` is
 * left out because its functions take each preset's own payload types, which no common type covers.
 */
export type PresetFactory = () => Omit<Protocol, 'keys'>;

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
} as const satisfies Record<PresetName, PresetFactory>;

export type { PresetName } from './names.js';

export {
  cryptoPortfolio,
  cryptoPortfolioChannels,
  cryptoPortfolioDefaults,
  cryptoPortfolioEvents,
} from './crypto-portfolio/preset.js';
export type { CryptoPortfolioEvents, CryptoPortfolioOptions } from './crypto-portfolio/preset.js';
export { ares, aresChannels, aresDefaults, aresEvents } from './ares/preset.js';
export type { AresEvents, AresOptions } from './ares/preset.js';
export { channelFeed, channelFeedChannels, channelFeedDefaults, channelFeedEvents } from './channel-feed/preset.js';
export type { ChannelFeedEvents, ChannelFeedOptions } from './channel-feed/preset.js';
export {
  agentTracker,
  agentTrackerChannels,
  agentTrackerDefaults,
  agentTrackerEvents,
  agentSchema,
  taskSchema,
} from './agent-tracker/preset.js';
export type { AgentTrackerEvents, AgentTrackerOptions } from './agent-tracker/preset.js';
export {
  sentio,
  sentioChannels,
  sentioDefaults,
  sentioEvents,
  sentioSignalSchema,
  sentioChannelOf,
} from './sentio/preset.js';
export type { SentioChannel, SentioEvents, SentioOptions } from './sentio/preset.js';
export { decimalString, isoDateTime, jsonDate, naiveIsoDateTime, rfc3339, unixSeconds } from './shared.js';
export type { WithEvents } from './shared.js';
