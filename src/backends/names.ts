/**
 * Names of the presets (also the mock server's dialect names): the backends dashwire speaks,
 * one folder each under src/backends/. Both registries are checked against it
 * (`satisfies Record<PresetName, …>`): the client's `presets` (src/backends/presets.ts) and the
 * mock server's preset dialects (src/backends/dialects.ts), so a backend does not compile
 * until it has both its preset and its dialect.
 * @category Presets
 */
export type PresetName = 'cryptoPortfolio' | 'ares' | 'channelFeed' | 'agentTracker' | 'sentio';
