import type { AuthCheck, ServerDialect } from './dialect.js';

/** Synthetic feed settings. @category Mock server */
export interface FeedOptions {
  /** Events per second, across all channels. @default 10 */
  readonly rate?: number;
}

/** Options of {@link dashwire/testing!createFeedEngine}. @category Mock server */
export interface FeedEngineOptions {
  /** Dialect name from the registry, or a dialect instance. @default 'native' */
  readonly protocol?: string | ServerDialect;
  /** Synthetic feed; `false` publishes only what the app publishes. @default false */
  readonly feed?: FeedOptions | false;
  /** Events kept per channel for `since` replay and REST polling. @default 1000 */
  readonly replayBuffer?: number;
  /** Client frames kept in `received`, newest last. @default 1000 */
  readonly receivedLimit?: number;
  /** Require credentials: the dialect asks for a token and calls this. @default none */
  readonly auth?: AuthCheck;
  /** Heartbeat interval the server advertises (native `welcome.heartbeatMs`), in ms. @default 15000 */
  readonly heartbeatMs?: number;
  /**
   * Which channels clients may subscribe to; others are refused (`unknown_channel` in native).
   * `'any'` accepts every name. A channel something was published on always exists.
   * @default the dialect's declared channels (native: prices, trades, alerts, portfolio), or any when it declares none
   */
  readonly channels?: readonly string[] | 'any';
  /** Randomness of the synthetic feed; pass `seededRandom(n)` for a repeatable feed. @default Math.random */
  readonly random?: () => number;
}

/** Defaults of {@link FeedEngineOptions}. @category Mock server */
export const feedEngineDefaults = {
  protocol: 'native',
  feedRate: 10,
  replayBuffer: 1_000,
  receivedLimit: 1_000,
  heartbeatMs: 15_000,
} as const;
