import type { SubscriptionParams } from '../protocol/types.js';

// The latest-value store's side of the API: snapshots that fill it (source, request, result,
// the `snapshot` and `resynced` events) and how fresh what it holds is (`freshness`, `stale`, `fresh`).

/** One item of a snapshot: a message as the latest store keeps it. @category Subscriptions */
export interface SnapshotItem {
  readonly type: string;
  readonly data: unknown;
}

/** What a snapshot source returns: items, or items with the channel position they cover. @category Subscriptions */
export type SnapshotResult =
  readonly SnapshotItem[] | { readonly seq?: number; readonly items: readonly SnapshotItem[] };

/** What a snapshot source is asked for. @category Subscriptions */
export interface SnapshotRequest {
  readonly channel: string;
  readonly params: SubscriptionParams;
  /** Aborted when the subscription ends or the client closes. */
  readonly signal: AbortSignal;
}

/** Fetches a channel's current state (e.g. a REST endpoint). @category Subscriptions */
export type SnapshotSource = (request: SnapshotRequest) => Promise<SnapshotResult>;

/** Payload of the `snapshot` event: a channel's state, applied to the latest store. @category Subscriptions */
export interface SnapshotInfo {
  readonly channel: string;
  readonly params: SubscriptionParams;
  /** The validated items (invalid ones were reported on `invalid` and left out). */
  readonly items: readonly SnapshotItem[];
  /** The channel position the snapshot covers (native): live events up to it were dropped. */
  readonly seq?: number;
  readonly at: Date;
}

/** Payload of the `resynced` event: a channel's store was replaced by a fresh snapshot. @category Subscriptions */
export interface ResyncedInfo {
  readonly channel: string;
  readonly at: Date;
}

/** How old a value of the latest store is (`client.freshness(type, key)`). @category Client */
export interface Freshness {
  /** When it last changed; undefined if it never arrived. */
  readonly updatedAt: Date | undefined;
  readonly ageMs: number | undefined;
  /** Its channel went quiet beyond its threshold, the connection is not open, or it never arrived. */
  readonly stale: boolean;
}

/** Payload of the `stale` event. @category Client */
export interface StaleInfo {
  readonly channel: string;
  readonly lastEventAt: Date | undefined;
  /** `quiet`: no event within the channel's threshold; `disconnected` / `closed`: the connection left `open`. */
  readonly reason: 'quiet' | 'disconnected' | 'closed';
}

/** Payload of the `fresh` event: data flows on a stale channel again. @category Client */
export interface FreshInfo {
  readonly channel: string;
  readonly at: Date;
}

/** Per channel: age of its last event, whether it is stale, and its threshold (ms). @category Client */
export type FreshnessStats = Readonly<
  Record<string, { readonly ageMs: number | undefined; readonly stale: boolean; readonly staleAfterMs: number }>
>;
