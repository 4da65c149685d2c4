import { unrefTimer } from '../timers.js';
import type { SafeEmitter } from './emitter.js';
import type { ConnectionState } from './types.js';
import type { Freshness, FreshnessStats, StaleInfo } from './store-types.js';

/**
 * Defaults of the staleness rule (docs/reliability.md, "Staleness is state").
 * @category Client
 */
export const freshnessDefaults = {
  /** A channel is stale after this many median inter-arrival intervals without an event. */
  cadenceFactor: 3,
  /** Inter-arrival intervals remembered per channel for the median. */
  cadenceWindow: 20,
  /** Intervals needed before the cadence decides; until then {@link freshnessDefaults.unknownCadenceMs} does. */
  minIntervals: 3,
  /** Never stale sooner than this after the last event, in ms (a 100 msg/s feed would otherwise flap). */
  floorMs: 5_000,
  /** Staleness threshold while the cadence is not known yet, in ms. */
  unknownCadenceMs: 30_000,
  /** The per-event path re-sorts the cadence's intervals for the median at most this often, in ms. */
  cadenceRefreshMs: 1_000,
} as const;

/** The channel name events without a channel are tracked under (servers that know no channels). */
const noChannel = '';

/** What the freshness unit is made with. */
export interface FreshnessOptions {
  readonly emitter: Pick<SafeEmitter, 'emit'>;
  /** The client-wide `staleAfterMs`: a number for every channel, or one per channel. */
  readonly staleAfterMs: number | { readonly [channel: string]: number } | undefined;
}

interface ChannelClock {
  lastAt: number | undefined;
  /** Recent inter-arrival intervals, in ms (a ring of `cadenceWindow`). */
  readonly intervals: number[];
  next: number;
  /** A subscription's `staleAfterMs`, which wins over the client-wide option and the cadence. */
  fixedMs: number | undefined;
  stale: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer is due (a newer event moves the deadline without re-arming the timer). */
  dueAt: number;
  /** The threshold as the per-event path last computed it, and when (see `cadenceRefreshMs`). */
  threshold: number | undefined;
  thresholdAt: number;
}

/** When a (type, key) last changed and on which channel; updated in place, one per entry. */
interface Stamp {
  at: number;
  channel: string;
}

/** A type's stamps: of its most recent value (any key), and of each key's. */
interface TypeStamps {
  readonly any: Stamp;
  readonly byKey: Map<string, Stamp>;
}

/** How old every number is (see {@link createFreshness}). */
export interface FreshnessTracker {
  /**
   * A delivered event (or an applied snapshot item) of `type`, `key` on `channel`; returns the
   * time it stamped (unix ms). Cheap: runs per event, allocates nothing once a key was seen.
   */
  touch(channel: string | undefined, type: string, key: string | undefined): number;
  /** A subscription asked for its own threshold on `channel`. */
  setStaleAfter(channel: string, ms: number | undefined): void;
  /** The connection state moved: leaving `open`/`polling` makes everything stale at once. */
  connection(state: ConnectionState): void;
  freshness(type: string, key?: string): Freshness;
  /** Last event on a channel, unix ms. */
  lastEventAt(channel: string): number | undefined;
  channelStale(channel: string): boolean;
  stats(): FreshnessStats;
  forget(channel: string): void;
  close(): void;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Staleness as state: per channel the time of its last event and its cadence, per (type, key)
 * of the latest store when it last changed. A channel goes `stale` when no event arrived for
 * its threshold (the subscription's `staleAfterMs`, else the client's, else 3 × the median of
 * the last 20 inter-arrival intervals, at least 5 s; 30 s until 3 intervals were seen), and
 * every channel is stale from the moment the connection leaves `open` (or `polling`) until its
 * data flows again. Each change is reported once, as `stale` / `fresh`.
 */
export function createFreshness(options: FreshnessOptions): FreshnessTracker {
  const { emitter } = options;
  const channels = new Map<string, ChannelClock>();
  /** type → when its values changed and on which channel. */
  const values = new Map<string, TypeStamps>();
  let linkUp = false;
  let closed = false;

  function clock(channel: string): ChannelClock {
    let c = channels.get(channel);
    if (!c) {
      c = {
        lastAt: undefined,
        intervals: [],
        next: 0,
        fixedMs: undefined,
        stale: true,
        timer: undefined,
        dueAt: 0,
        threshold: undefined,
        thresholdAt: 0,
      };
      channels.set(channel, c);
    }
    return c;
  }

  function thresholdOf(channel: string, c: ChannelClock): number {
    if (c.fixedMs !== undefined) return c.fixedMs;
    const option = options.staleAfterMs;
    if (typeof option === 'number') return option;
    const perChannel = option?.[channel];
    if (perChannel !== undefined) return perChannel;
    if (c.intervals.length < freshnessDefaults.minIntervals) return freshnessDefaults.unknownCadenceMs;
    return Math.max(freshnessDefaults.floorMs, freshnessDefaults.cadenceFactor * median(c.intervals));
  }

  /**
   * {@link thresholdOf} for the per-event path: the median is re-sorted at most once per
   * `cadenceRefreshMs` (and while the first intervals arrive). The timer's own check uses the
   * exact threshold, so a cached one can only make a timer fire early and re-arm.
   */
  function recentThreshold(channel: string, c: ChannelClock, now: number): number {
    if (c.threshold === undefined || now - c.thresholdAt >= freshnessDefaults.cadenceRefreshMs) {
      c.threshold = thresholdOf(channel, c);
      c.thresholdAt = now;
    }
    return c.threshold;
  }

  /** Stamps `type`'s most recent value and, if given, its `key`'s: one lookup of the type. */
  function stamp(type: string, key: string | undefined, channel: string, now: number): void {
    let stamps = values.get(type);
    if (!stamps) values.set(type, (stamps = { any: { at: now, channel }, byKey: new Map() }));
    stamps.any.at = now;
    stamps.any.channel = channel;
    if (key === undefined) return;
    const stamp = stamps.byKey.get(key);
    if (stamp) {
      stamp.at = now;
      stamp.channel = channel;
    } else stamps.byKey.set(key, { at: now, channel });
  }

  function arm(channel: string, c: ChannelClock, now = Date.now()): void {
    if (closed || c.lastAt === undefined) return;
    const due = c.lastAt + recentThreshold(channel, c, now);
    // A timer already due no later than the new deadline is kept: it re-checks when it fires.
    if (c.timer !== undefined && c.dueAt <= due) return;
    clearTimeout(c.timer);
    c.dueAt = due;
    c.timer = setTimeout(() => check(channel, c), Math.max(0, due - now));
    unrefTimer(c.timer);
  }

  function check(channel: string, c: ChannelClock): void {
    c.timer = undefined;
    if (closed || c.stale || c.lastAt === undefined) return;
    const now = Date.now();
    c.threshold = thresholdOf(channel, c);
    c.thresholdAt = now;
    const due = c.lastAt + c.threshold;
    if (now < due) return arm(channel, c, now);
    markStale(channel, c, 'quiet');
  }

  function markStale(channel: string, c: ChannelClock, reason: StaleInfo['reason']): void {
    if (c.stale) return;
    c.stale = true;
    clearTimeout(c.timer);
    c.timer = undefined;
    const info: StaleInfo = { channel, lastEventAt: c.lastAt === undefined ? undefined : new Date(c.lastAt), reason };
    emitter.emit('stale', info);
  }

  function ageOf(at: number | undefined, now: number): number | undefined {
    return at === undefined ? undefined : Math.max(0, now - at);
  }

  return {
    touch(channel, type, key) {
      const name = channel ?? noChannel;
      const now = Date.now();
      const c = clock(name);
      if (c.lastAt !== undefined) {
        const interval = now - c.lastAt;
        // Events of one frame (interval 0) are one arrival, not a cadence of zero.
        if (interval > 0) {
          if (c.intervals.length < freshnessDefaults.cadenceWindow) {
            c.intervals.push(interval);
            c.threshold = undefined; // the first intervals decide the cadence: no cached value
          } else c.intervals[c.next] = interval;
          c.next = (c.next + 1) % freshnessDefaults.cadenceWindow;
        }
      }
      c.lastAt = now;
      stamp(type, key, name, now);
      if (c.stale && linkUp) {
        c.stale = false;
        emitter.emit('fresh', { channel: name, at: new Date(now) });
      }
      if (!c.stale) arm(name, c, now);
      return now;
    },
    setStaleAfter(channel, ms) {
      const c = clock(channel);
      c.fixedMs = ms;
      c.threshold = undefined;
      clearTimeout(c.timer);
      c.timer = undefined;
      if (!c.stale) arm(channel, c);
    },
    connection(state) {
      const up = state === 'open' || state === 'polling';
      if (up === linkUp) return;
      linkUp = up;
      if (up) return; // fresh again only when data flows
      for (const [name, c] of channels) markStale(name, c, state === 'closed' ? 'closed' : 'disconnected');
    },
    freshness(type, key) {
      const now = Date.now();
      const stamps = values.get(type);
      const stamp = key === undefined ? stamps?.any : stamps?.byKey.get(key);
      const updatedAt = stamp?.at;
      const stale = stamp === undefined || !linkUp || channels.get(stamp.channel)?.stale !== false;
      return {
        updatedAt: updatedAt === undefined ? undefined : new Date(updatedAt),
        ageMs: ageOf(updatedAt, now),
        stale,
      };
    },
    lastEventAt: (channel) => channels.get(channel)?.lastAt,
    channelStale: (channel) => !linkUp || channels.get(channel)?.stale !== false,
    stats() {
      const now = Date.now();
      const out: Record<string, { ageMs: number | undefined; stale: boolean; staleAfterMs: number }> = {};
      for (const [name, c] of channels)
        out[name] = { ageMs: ageOf(c.lastAt, now), stale: !linkUp || c.stale, staleAfterMs: thresholdOf(name, c) };
      return out;
    },
    forget(channel) {
      const c = channels.get(channel);
      if (c) clearTimeout(c.timer);
      channels.delete(channel);
    },
    close() {
      closed = true;
      for (const c of channels.values()) clearTimeout(c.timer);
    },
  };
}
