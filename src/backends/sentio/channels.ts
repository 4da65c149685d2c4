// The one channel ↔ type map of Sentio, both directions: the preset routes frames and picks
// endpoints by it, the mock dialect serves each endpoint and names each event by it.

/** `admin_<kind>` → this prefix; the kind goes to the payload's `kind`. */
export const adminPrefix = 'admin_';

/** Sentio's channels: one WebSocket endpoint each. @category Presets */
export type SentioChannel = 'trade-signals' | 'earnings' | 'notifications' | 'admin' | 'market-data';

/** Channel → the message types its endpoint sends. @category Presets */
export const sentioChannels = {
  'trade-signals': ['trade_signals'],
  earnings: ['earnings'],
  notifications: ['notification'],
  admin: ['admin_update'],
  'market-data': ['market_data'],
} as const satisfies Record<SentioChannel, readonly string[]>;

/** The five channels, in the map's order. */
export const sentioFeeds = Object.keys(sentioChannels) as SentioChannel[];

/** The channel a server message type belongs to (`admin_*` → `admin`). @category Presets */
export function sentioChannelOf(type: string): SentioChannel | undefined {
  return type.startsWith(adminPrefix)
    ? 'admin'
    : sentioFeeds.find((c) => (sentioChannels[c] as readonly string[]).includes(type));
}
