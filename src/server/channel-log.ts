import type { FeedEvent, ReplayResult } from './dialect.js';
import { ReplayBuffer } from './replay-buffer.js';

/**
 * Every channel's position and recent history: numbers each published event (per-channel seq
 * from 1) and keeps the last events of each channel for `since` replay and REST polling.
 */
export interface ChannelLog {
  /** Numbers and keeps an event; creates the channel on its first event. */
  append(channel: string, type: string, data: unknown, ts: number): FeedEvent;
  /** Kept events of `channel` after `since`, and whether they cover everything after it. */
  replay(channel: string, since: number): ReplayResult;
  /** Last seq published on a channel, 0 if none. */
  lastSeq(channel: string): number;
  /** Whether anything was ever published on the channel. */
  has(channel: string): boolean;
}

interface Channel {
  lastSeq: number;
  readonly buffer: ReplayBuffer<FeedEvent>;
}

/** Creates a channel log that keeps `bufferSize` events per channel. */
export function createChannelLog(bufferSize: number): ChannelLog {
  const channels = new Map<string, Channel>();

  const channelOf = (name: string): Channel => {
    let channel = channels.get(name);
    if (!channel) {
      channel = { lastSeq: 0, buffer: new ReplayBuffer<FeedEvent>(bufferSize) };
      channels.set(name, channel);
    }
    return channel;
  };

  return {
    append(name, type, data, ts) {
      const channel = channelOf(name);
      channel.lastSeq += 1;
      const event: FeedEvent = { channel: name, seq: channel.lastSeq, type, data, ts };
      channel.buffer.push(event);
      return event;
    },
    replay(name, since) {
      const channel = channels.get(name);
      const lastSeq = channel?.lastSeq ?? 0;
      const firstSeq = channel?.buffer.firstSeq() ?? lastSeq + 1;
      const events = channel ? channel.buffer.after(since) : [];
      return { events, recovered: since <= lastSeq && since + 1 >= firstSeq, lastSeq, firstSeq };
    },
    lastSeq: (name) => channels.get(name)?.lastSeq ?? 0,
    has: (name) => channels.has(name),
  };
}
