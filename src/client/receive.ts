import { DashwireError } from '../errors.js';
import type { Inbound, Protocol } from '../protocol/types.js';
import type { SafeEmitter } from './emitter.js';
import type { LatestListeners } from './latest.js';
import type { SubscriptionRegistry, WireSubscription } from './subscriptions.js';
import type { ValidationMode } from './validate.js';
import type { FreshnessTracker } from './freshness.js';
import type { EventMeta, GapInfo } from './message-types.js';
import type { SnapshotItem } from './store-types.js';
import { createHeldEvents, type Covered } from './held-events.js';
import { createSeqCursors } from './seq-cursors.js';
import { confirm, refuse } from './replies.js';
import { createReceiveCounters, type ReceiveCounters } from './receive-counters.js';
import { reportInvalid, reportUnknown, schemaFailure } from './rejections.js';
import { createSnapshotStore } from './snapshot-store.js';
import { countsByType, createTypeRecords, type KeyFunctions, type TypeRecord } from './type-records.js';

type EventItem = Extract<Inbound, { kind: 'event' }>;

/** What the receive path is made with. */
export interface ReceiveOptions {
  readonly protocol: Protocol;
  /** Where the app's handlers listen (`client.on`). */
  readonly emitter: SafeEmitter;
  /** The subscriptions it routes to, confirms (acks) and refuses (errors). */
  readonly registry: SubscriptionRegistry;
  readonly keys: KeyFunctions;
  readonly resync: ((gap: GapInfo) => void | Promise<void>) | undefined;
  /** How schemas are checked (validate.ts). @default 'runtime' */
  readonly validation?: ValidationMode;
  /** Hook: told of every value stored in the latest store, per (type, key) (latest.ts). */
  readonly latest?: LatestListeners;
  /** Hook: stamps every delivered event (staleness, see freshness.ts). */
  readonly freshness?: FreshnessTracker;
  /** Hook: heals a gap by re-snapshotting (snapshot.ts); resolves to what the snapshot covered. */
  readonly heal?: (gap: GapInfo) => Promise<Covered | void> | undefined;
  /** Cursors to start from, per channel (`ClientOptions.resume`). */
  readonly resume?: Readonly<Record<string, number>> | undefined;
}

/** The receive path of one client (see {@link createReceive}). */
export interface Receive {
  readonly counters: ReceiveCounters;
  /** Valid events delivered, per type. */
  byType(): Record<string, number>;
  /**
   * The items of one frame (or one poll body): events, rejects, acks and errors. `polled`: they
   * came over polling, which confirms subscriptions at open (so an error naming a channel
   * refuses that channel's subscriptions). `handled`: the frame's protocol items its socket's
   * session already took (welcome, pong, an auth refusal), counted here with the others.
   */
  items(items: readonly Inbound[], raw: string, polled: boolean, handled?: number): void;
  /** Last value of a type, by key (or the most recent of any key). */
  latest(type: string, key?: string): unknown;
  /** The channel's cursor: last seq consumed (resumable protocols), sent as `since`. */
  since(channel: string): number | undefined;
  /** Forgets a channel nobody subscribes to any more (a later subscribe starts fresh). */
  forget(channel: string): void;
  /**
   * Hook for snapshots: holds the channel's live events until `work` settles, then delivers
   * those it does not cover, in order. Holds queue behind one another on a channel.
   */
  hold(channel: string, work: () => Promise<Covered | void>): void;
  /**
   * Hook for snapshots: validates `items` and replaces, in one step, what the latest store holds
   * from `channel` (keys it set that the snapshot lacks are removed); moves the cursor to `seq`.
   * Returns the items that passed validation.
   */
  applySnapshot(channel: string, items: readonly SnapshotItem[], seq: number | undefined): SnapshotItem[];
  /** Hook: reports a gap found outside the receive path (a non-resumable reconnect), running `resync`. */
  reportGap(gap: GapInfo): void;
}

/**
 * The receive path: per-channel seq cursors (de-duplication and gap detection, seq-cursors.ts),
 * validation against the type's record (type-records.ts), then dispatch to client handlers,
 * subscription handlers and the latest-value store; acks confirm subscriptions and position
 * cursors, errors refuse subscriptions. While a snapshot or resync runs, a channel's live events
 * wait (held-events.ts). Nothing here throws on input: every rejection becomes an `invalid` or
 * `unknown` event with a counter.
 */
export function createReceive(options: ReceiveOptions): Receive {
  const { protocol, emitter, registry, resync } = options;
  /** The protocol's client-side filter, bound once (it is called for every routed event). */
  const matches = protocol.matches?.bind(protocol);
  const counters = createReceiveCounters();
  const cursors = createSeqCursors({ resumable: protocol.resumable, registry, resume: options.resume });
  const types = createTypeRecords(protocol.events, options.keys, options.validation ?? 'runtime');
  const holds = createHeldEvents();
  const freshness = options.freshness;
  const snapshots = createSnapshotStore({
    types,
    cursors,
    emitter,
    counters,
    latest: options.latest,
    freshness,
  });
  cursors.on('gap', gap);
  holds.on('release', (queue, covers) => {
    for (const { type, data, meta, wires } of queue) {
      const record = types.get(type);
      if (!record || covers.some((covered) => covered(type, data, meta))) continue;
      // Subscriptions may have changed while the work ran: route by the current ones.
      deliver(record, data, meta, meta.channel === undefined ? wires : registry.forChannel(meta.channel));
    }
  });

  /** Consumes the seq of an event frame (delivered or rejected); false, counted, for a duplicate. */
  function consume(channel: string | undefined, seq: number | undefined): boolean {
    if (cursors.consume(channel, seq)) return true;
    counters.duplicates++;
    return false;
  }

  /** A malformed item: reported as `invalid`, after consuming the seq of a readable envelope. */
  function rejected(item: Extract<Inbound, { kind: 'malformed' }>, raw: string): void {
    const { channel, seq, type } = item;
    if (!consume(channel, seq)) return;
    reportInvalid(emitter, counters, {
      reason: item.reason ?? 'malformed',
      detail: item.detail,
      raw,
      ...(type === undefined ? {} : { type }),
      ...(channel === undefined ? {} : { channel }),
    });
  }

  function event(item: EventItem, raw: string): void {
    const { type, channel, seq } = item;
    if (!consume(channel, seq)) return;
    const record = types.get(type);
    if (!record) return reportUnknown(emitter, counters, { type, channel, data: item.data, raw });
    const wires = channel === undefined ? undefined : registry.forChannel(channel);
    const result = record.check(item.data);
    if (!result.success)
      return reportInvalid(emitter, counters, schemaFailure(type, channel, result.error.issues, raw));
    // One object shape for every event keeps the handlers' call sites monomorphic.
    const meta: EventMeta = { type, channel, seq };
    const queue = holds.queue(channel);
    if (queue) queue.push({ type, data: result.data, meta, wires });
    else deliver(record, result.data, meta, wires);
  }

  function deliver(
    record: TypeRecord,
    data: unknown,
    meta: EventMeta,
    wires: readonly WireSubscription[] | undefined,
  ): void {
    const { type } = meta;
    counters.received++;
    record.count++;
    record.last = data;
    let key: string | undefined;
    if (record.keyOf) {
      try {
        key = record.keyOf(data);
        record.byKey.set(key, data);
      } catch {
        // A key function that throws on an odd payload must not cost the delivery.
      }
    }
    options.latest?.changed(type, key);
    const at = freshness?.touch(meta.channel, type, key);
    if (snapshots.active && meta.channel !== undefined) snapshots.own(meta.channel, type, key);
    emitter.emit(type, data, meta);
    if (meta.channel !== undefined) {
      if (!wires) return;
      for (const wire of wires) {
        if (!matches || matches(wire.channel, wire.params, type, data)) routed(wire, type, data, meta, at);
      }
    } else if (matches) {
      for (const wire of registry.all()) {
        if (matches(wire.channel, wire.params, type, data)) routed(wire, type, data, meta, at);
      }
    }
  }

  /** `at`: when freshness stamped the event (no clock read per subscription). */
  function routed(wire: WireSubscription, type: string, data: unknown, meta: EventMeta, at: number | undefined): void {
    if (at !== undefined) wire.lastEventAt = at;
    wire.emit(type, data, meta);
  }

  function gap(info: GapInfo): void {
    emitter.emit('gap', info);
    const healing = options.heal?.(info);
    if (!resync && !healing) return;
    if (holds.has(info.channel) && !healing) return;
    holds.hold(info.channel, async () => {
      const [, covered] = await Promise.all([
        resync
          ? Promise.resolve()
              .then(() => resync(info))
              .catch((cause: unknown) => {
                emitter.emit(
                  'error',
                  new DashwireError('resync_failed', `Resync of "${info.channel}" failed`, {
                    cause,
                    details: { ...info },
                  }),
                );
              })
          : undefined,
        healing,
      ]);
      return covered;
    });
  }

  return {
    counters,
    byType: () => countsByType(types),
    items(list, raw, polled, handled = 0) {
      counters.frames++;
      counters.protocol += handled;
      for (const item of list) {
        if (item.kind === 'event') event(item, raw);
        else if (item.kind === 'malformed') rejected(item, raw);
        else {
          counters.protocol++;
          if (item.kind === 'ack') confirm(item, registry, cursors);
          else if (item.kind === 'error') {
            counters.serverErrors++;
            refuse(item, polled, registry, emitter);
          }
        }
      }
    },
    latest(type, key) {
      const record = types.get(type);
      return key === undefined ? record?.last : record?.byKey.get(key);
    },
    since: (channel) => cursors.since(channel),
    forget(channel) {
      cursors.forget(channel);
      holds.forget(channel);
      snapshots.forget(channel);
      freshness?.forget(channel);
    },
    hold: (channel, work) => holds.hold(channel, work),
    applySnapshot: (channel, items, seq) => snapshots.apply(channel, items, seq),
    reportGap: gap,
  };
}
