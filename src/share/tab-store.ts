/**
 * What a tab keeps of the events delivered to it under `share: 'tabs'`, independent of which
 * host serves it: the latest value per type and key (`client.latest()`), its counts for
 * `stats()`, and, on resumable protocols, the last seq per channel. The cursors make
 * a handover lossless and replay-free: a new host resumes from them, and what it replays that
 * this tab already has is dropped here.
 */
import type { EventMeta } from '../client/message-types.js';
import type { ClientStats } from '../client/types.js';

/** Key functions of `latest()` by type (the protocol's, overridden by the client options). */
export type KeyFunctions = Readonly<Record<string, ((payload: unknown) => string) | undefined>>;

export interface TabStore {
  /**
   * Checks an arriving event against the channel's cursor and advances it. False: a replay
   * this tab already has (its seq is at or below the cursor, counted in `duplicates`); do not
   * deliver it.
   */
  advance(meta: Pick<EventMeta, 'channel' | 'seq'>): boolean;
  /**
   * Stores a delivered event (counted in `received`) as its type's latest value; returns its
   * key (undefined: no key function, or it threw).
   */
  store(type: string, data: unknown): string | undefined;
  latest(type: string, key?: string): unknown;
  /** Events delivered (in all and per type) and replays dropped. */
  counts(): Pick<ClientStats, 'received' | 'duplicates' | 'byType'>;
  /** Last seq per channel, as an attach sends them. */
  cursors(): Record<string, number>;
  /** Nobody here subscribes to `channel` any more: it starts fresh next time. */
  forget(channel: string): void;
}

interface TypeRecord {
  count: number;
  last: unknown;
  readonly byKey: Map<string, unknown>;
}

/** `resumable`: the protocol's events carry per-channel seqs (`protocol.resumable`). */
export function createTabStore(resumable: boolean, keys: KeyFunctions): TabStore {
  const cursors = new Map<string, number>();
  const byType = new Map<string, TypeRecord>();
  let received = 0;
  let duplicates = 0;

  return {
    advance({ channel, seq }) {
      if (!resumable || channel === undefined || seq === undefined) return true;
      const last = cursors.get(channel);
      // A replay after a handover: this tab already has it.
      if (last !== undefined && seq <= last) {
        duplicates++;
        return false;
      }
      cursors.set(channel, seq);
      return true;
    },
    store(type, data) {
      received++;
      let record = byType.get(type);
      if (!record) byType.set(type, (record = { count: 0, last: undefined, byKey: new Map() }));
      record.count++;
      record.last = data;
      const keyOf = keys[type];
      if (!keyOf) return undefined;
      try {
        const key = keyOf(data);
        record.byKey.set(key, data);
        return key;
      } catch {
        // A key function that throws on an odd payload must not cost the delivery.
        return undefined;
      }
    },
    latest(type, key) {
      const record = byType.get(type);
      return key === undefined ? record?.last : record?.byKey.get(key);
    },
    counts() {
      const counts: Record<string, number> = {};
      for (const [type, record] of byType) counts[type] = record.count;
      return { received, duplicates, byType: counts };
    },
    cursors: () => Object.fromEntries(cursors),
    forget(channel) {
      cursors.delete(channel);
    },
  };
}
