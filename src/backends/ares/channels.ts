// The one channel ↔ type map of the ARES hub: the preset filters by it, the mock dialect files
// each synthetic event under it.

/** The hub's message types by the panel that shows them. */
const byType = {
  signals: ['signal'],
  trades: ['trade', 'trade_closed'],
  metrics: ['metrics'],
  alerts: ['alert'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Channels of {@link ares}: the hub broadcasts everything to everyone (its description: "no message
 * filtering"), so channels are client-side filters on type; `all` takes every type.
 * @category Presets
 */
export const aresChannels = { ...byType, all: Object.values(byType).flat() } as const;
