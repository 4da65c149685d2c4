/**
 * What a host delivered lately on each channel, so that a tab attaching after the connection
 * started (a follower re-attaching after a leader handover, a tab whose worker restarted) gets
 * the events after its cursor that went by before it was attached. Resumable protocols only:
 * events are kept by their per-channel seq.
 */
import type { EventMeta } from '../client/message-types.js';

/** One delivered event as the host posts it to tabs. */
export interface HistoryEvent {
  readonly type: string;
  readonly data: unknown;
  readonly meta: EventMeta;
}

/** Defaults of the host's per-channel history (internal). */
export const channelHistoryDefaults = {
  /**
   * Events kept per channel: a handover measured 40–160 ms in the Chromium e2e suite, so this
   * covers one at 6,000 msg/s a channel; a tab further behind gets a `gap` instead.
   */
  perChannel: 1_000,
} as const;

export interface ChannelHistory {
  /** Keeps a delivered event (one with a channel and a seq; others are ignored). */
  record(event: HistoryEvent): void;
  /**
   * The kept events of `channel` after `seq`, oldest first, and whether they start right after
   * it: `complete: false` when events between `seq` and the oldest kept one are gone.
   */
  after(channel: string, seq: number): { readonly events: readonly HistoryEvent[]; readonly complete: boolean };
}

export function createChannelHistory(perChannel: number = channelHistoryDefaults.perChannel): ChannelHistory {
  const byChannel = new Map<string, HistoryEvent[]>();
  return {
    record(event) {
      const { channel, seq } = event.meta;
      if (channel === undefined || seq === undefined) return;
      let list = byChannel.get(channel);
      if (!list) byChannel.set(channel, (list = []));
      list.push(event);
      // Trim in blocks, not per event: the array is spliced once every `perChannel / 4` events.
      if (list.length > perChannel + (perChannel >> 2)) list.splice(0, list.length - perChannel);
    },
    after(channel, seq) {
      const list = byChannel.get(channel) ?? [];
      const events = list.filter((event) => event.meta.seq! > seq);
      // Complete when the history reaches back to `seq` (or nothing was missed at all).
      const oldest = list[0]?.meta.seq;
      const complete = oldest === undefined || oldest <= seq + 1;
      return { events, complete };
    },
  };
}
