// The one channel ↔ type map of the channel feed, both directions: its description names each
// channel's message `<channel>_update`. The preset routes frames by it, the mock dialect names
// each synthetic event by it.

/** The channels the channel feed lists. @category Presets */
export const channelFeedChannels = ['dashboard', 'trades', 'positions', 'performance', 'alerts'] as const;

/** The message type a channel's frames carry: `trades` → `trades_update`. */
export function channelFeedTypeOf(channel: string): string {
  return `${channel}_update`;
}

/** The channel of a message type: `trades_update` → `trades`; `undefined` for a type outside the `<channel>_update` pattern. */
export function channelFeedChannelOf(type: string): string | undefined {
  return type.endsWith('_update') ? type.slice(0, -'_update'.length) : undefined;
}
