import type { SafeEmitter } from './emitter.js';
import type { FreshnessTracker } from './freshness.js';
import type { LatestListeners } from './latest.js';
import { quoteItem, reportInvalid, reportUnknown, schemaFailure, type RejectionCounters } from './rejections.js';
import type { SeqCursors } from './seq-cursors.js';
import type { SnapshotItem } from './store-types.js';
import type { TypeRecord } from './type-records.js';

/** What the snapshot side of the latest store is made with: the units it writes to. */
export interface SnapshotStoreOptions {
  /** The per-type records: the latest store itself. */
  readonly types: ReadonlyMap<string, TypeRecord>;
  readonly cursors: SeqCursors;
  /** Where `invalid` and `unknown` go for items that fail. */
  readonly emitter: SafeEmitter;
  readonly counters: RejectionCounters;
  readonly latest: LatestListeners | undefined;
  readonly freshness: FreshnessTracker | undefined;
}

/** Snapshots applied to the latest store (see {@link createSnapshotStore}). */
export interface SnapshotStore {
  /** Whether any channel was snapshotted: until then a live event costs this check only. */
  readonly active: boolean;
  /** A live event of `channel` set (type, key) in the store (remembered if the channel is snapshotted). */
  own(channel: string, type: string, key: string | undefined): void;
  /**
   * Validates `items` and replaces, in one step, what the store holds from `channel` (keys it
   * set that the snapshot lacks are removed); moves the cursor to `seq`. Returns the items that
   * passed validation.
   */
  apply(channel: string, items: readonly SnapshotItem[], seq: number | undefined): SnapshotItem[];
  /** The channel is no longer subscribed. */
  forget(channel: string): void;
}

/** A validated snapshot item with its record and key, about to be stored. */
interface KeyedItem {
  readonly record: TypeRecord;
  readonly type: string;
  readonly data: unknown;
  readonly key: string | undefined;
}

/**
 * The snapshot side of the latest store. It remembers which (type, key) entries each channel
 * with snapshots set, so the next snapshot of that channel replaces them: a key the server no
 * longer has disappears from `latest()` instead of showing its last value forever. (A key of
 * `''` stands for "no key".)
 */
export function createSnapshotStore(options: SnapshotStoreOptions): SnapshotStore {
  const { types, emitter, counters } = options;
  const owned = new Map<string, Map<string, Set<string>>>();

  function validate(channel: string, items: readonly SnapshotItem[]): KeyedItem[] {
    const valid: KeyedItem[] = [];
    for (const item of items) {
      const record = types.get(item.type);
      if (!record) {
        reportUnknown(emitter, counters, { type: item.type, channel, data: item.data, raw: quoteItem(item) });
        continue;
      }
      const result = record.check(item.data);
      if (!result.success) {
        reportInvalid(emitter, counters, schemaFailure(item.type, channel, result.error.issues, quoteItem(item)));
        continue;
      }
      let key: string | undefined;
      try {
        key = record.keyOf?.(result.data);
      } catch {
        key = undefined;
      }
      valid.push({ record, type: item.type, data: result.data, key });
    }
    return valid;
  }

  /** Removes what `channel` set before and `valid` lacks; returns the (type, key) entries removed. */
  function replaceOwned(channel: string, valid: readonly KeyedItem[]): [string, string][] {
    const previous = owned.get(channel);
    const next = new Map<string, Set<string>>();
    for (const { type, key } of valid) {
      let keys = next.get(type);
      if (!keys) next.set(type, (keys = new Set()));
      keys.add(key ?? '');
    }
    const removed: [string, string][] = [];
    if (previous) {
      for (const [type, keys] of previous) {
        const record = types.get(type);
        if (!record) continue;
        for (const key of keys) {
          if (next.get(type)?.has(key)) continue;
          record.byKey.delete(key);
          removed.push([type, key]);
        }
        if (!next.has(type)) record.last = undefined;
      }
    }
    owned.set(channel, next);
    return removed;
  }

  return {
    get active() {
      return owned.size > 0;
    },
    own(channel, type, key) {
      const byType = owned.get(channel);
      if (!byType) return;
      let keys = byType.get(type);
      if (!keys) byType.set(type, (keys = new Set()));
      keys.add(key ?? '');
    },
    apply(channel, items, seq) {
      const valid = validate(channel, items);
      // One synchronous step: no handler can observe a half-replaced store.
      const removed = replaceOwned(channel, valid);
      for (const { record, type, data, key } of valid) {
        record.last = data;
        if (key !== undefined) record.byKey.set(key, data);
        options.freshness?.touch(channel, type, key);
      }
      // After the whole replacement, so a listener reads the new store.
      for (const [type, key] of removed) options.latest?.changed(type, key);
      for (const { type, key } of valid) options.latest?.changed(type, key);
      if (seq !== undefined) options.cursors.advance(channel, seq);
      return valid.map(({ type, data }) => ({ type, data }));
    },
    forget: (channel) => void owned.delete(channel),
  };
}
