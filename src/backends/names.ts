/**
 * The backends dashwire speaks, one folder each under src/backends/. Both registries are
 * checked against this list (`satisfies Record<PresetName, …>`): the client's `presets`
 * (src/backends/presets.ts) and the mock server's preset dialects (src/backends/dialects.ts),
 * so a backend does not compile until it has both its preset and its dialect.
 */
export const presetNames = ['cryptoPortfolio', 'ares', 'channelFeed', 'agentTracker', 'sentio'] as const;

/** Names of the presets (also the mock server's dialect names). @category Presets */
export type PresetName = (typeof presetNames)[number];
