// The one channel ↔ type map of the crypto portfolio backend: the preset filters by it, the
// mock dialect files each synthetic event under it.

/** One channel per message type. */
const byType = {
  prices: ['price_update'],
  trades: ['trade_executed'],
  trims: ['trim_executed'],
  benchmarks: ['benchmark_triggered'],
  portfolio: ['portfolio_update'],
  conversions: ['conversion_completed'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Channels of {@link cryptoPortfolio}: the server has none, so each is a client-side filter
 * on message type; `all` takes every type.
 * @category Presets
 */
export const cryptoPortfolioChannels = { ...byType, all: Object.values(byType).flat() } as const;
