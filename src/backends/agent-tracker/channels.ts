// The one channel ↔ type map of the agent tracker: the preset filters by it, the mock dialect
// files each event its store broadcasts under it. Any other type is its own channel.

/** Channels of {@link agentTracker} (client-side filters); any other name is taken as a message type. @category Presets */
export const agentTrackerChannels = {
  agents: ['agentUpdate'],
  tasks: ['taskUpdate'],
} as const satisfies Record<string, readonly string[]>;
