import type { $ZodType } from 'zod/v4/core';
import { DashwireError } from '../errors.js';
import type { EventCatalog } from '../events.js';
import type { Inbound, Protocol } from '../protocol/types.js';
import type { SafeEmitter } from './emitter.js';
import type { LatestListeners } from './latest.js';
import type { SubscriptionRegistry, WireSubscription } from './subscriptions.js';
import { createCheck, type Check, type ValidationMode } from './validate.js';
import type { FreshnessTracker } from './freshness.js';
import { stableStringify } from '../protocol/json.js';
import type { EventMeta, GapInfo } from './message-types.js';
import type { SnapshotItem } from './store-types.js';

type EventItem = Extract<Inbound, { kind: 'event' }>;

/** What the receive path is made with. */
export interface ReceiveOptions {
  readonly protocol: Protocol;
  /** Where the app's handlers listen (`client.on`). */
  readonly emitter: SafeEmitter;
  /** The subscriptions it routes to, confirms (acks) and refuses (errors). */
  readonly registry: SubscriptionRegistry;
  readonly keys: { readonly [type: string]: ((payload: never) => string) | undefined };
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

/** Whether a live event held during a snapshot is already covered by it (and is dropped). */
export type Covered = (type: string, data: unknown, meta: EventMeta) => boolean;

/** Counters of the receive path (read by `client.stats()`). */
export interface ReceiveCounters {
  frames: number;
  received: number;
  invalid: number;
  unknown: number;
  /** Protocol items (welcome, ack, error, pong): with the three above, every decoded item is counted once. */
  protocol: number;
  duplicates: number;
  serverErrors: number;
}

/**
 * Everything the receive path needs about one message type, found with one lookup per
 * event (the hot path once made seven map and dictionary lookups; see docs/benchmarks.md).
 */
interface TypeRecord {
  readonly schema: $ZodType;
  /** The schema's check, compiled on first use where allowed (validate.ts). */
  readonly check: Check;
  readonly keyOf: ((payload: unknown) => string) | undefined;
  count: number;
  /** Most recent payload of any key. */
  last: unknown;
  /** Most recent payload per key, when the type has a key function. */
  readonly byKey: Map<string, unknown>;
}

type Held = { type: string; data: unknown; meta: EventMeta; wires: readonly WireSubscription[] | undefined };

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

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
 * The receive path: per-channel seq cursors (de-duplication and gap detection), validation,
 * then dispatch to client handlers, subscription handlers and the latest-value store; acks
 * confirm subscriptions and position cursors, errors refuse subscriptions. Nothing here
 * throws on input: every rejection becomes an `invalid` or `unknown` event with a counter.
 */
export function createReceive(options: ReceiveOptions): Receive {
  const { protocol, emitter, registry, resync } = options;
  /** The protocol's client-side filter, bound once (it is called for every routed event). */
  const matches = protocol.matches?.bind(protocol);
  const resumable = protocol.resumable;
  const counters: ReceiveCounters = {
    frames: 0,
    received: 0,
    invalid: 0,
    unknown: 0,
    protocol: 0,
    duplicates: 0,
    serverErrors: 0,
  };
  const lastSeq = new Map<string, number>(Object.entries(options.resume ?? {}));
  /** Known message types only: a feed of made-up type names cannot grow this map. */
  const types = new Map<string, TypeRecord>();
  /** Channels whose live events wait for a running resync hook. */
  const held = new Map<string, Held[]>();
  /** Pending hold work per channel, after the one running. */
  const works = new Map<string, (() => Promise<Covered | void>)[]>();
  /** Channels with snapshots: which (type, key) of the store each set, so a snapshot can replace them. */
  const owned = new Map<string, Map<string, Set<string>>>();
  const freshness = options.freshness;
  const events: EventCatalog = protocol.events;
  for (const type of Object.keys(events)) {
    if (!hasOwn(events, type)) continue;
    const keyOf = options.keys[type] as ((payload: unknown) => string) | undefined;
    const schema = events[type] as $ZodType;
    types.set(type, {
      schema,
      check: createCheck(schema, options.validation ?? 'runtime'),
      keyOf,
      count: 0,
      last: undefined,
      byKey: new Map(),
    });
  }

  function ack(item: Extract<Inbound, { kind: 'ack' }>): void {
    const { channel, seq } = item;
    if (channel !== undefined && seq !== undefined && resumable && registry.hasChannel(channel)) {
      if (!lastSeq.has(channel)) lastSeq.set(channel, seq);
      else if (item.recovered === false) missed(channel, seq);
    }
    registry.takePending(item.id, channel)?.setState('subscribed');
  }

  function serverError(item: Extract<Inbound, { kind: 'error' }>, polled: boolean): void {
    counters.serverErrors++;
    const { code, channel, id, message } = item;
    const details = { code, channel, id };
    const wire = registry.takePending(id, channel);
    // Polling confirms subscriptions at open; a channel refused in a poll body ends them there.
    const refused = wire
      ? [wire]
      : id === undefined && channel !== undefined && polled
        ? (registry.forChannel(channel) ?? [])
        : [];
    for (const w of refused)
      w.setState(
        'error',
        new DashwireError('subscribe_failed', message || `Subscription to "${w.channel}" refused`, { details }),
      );
    emitter.emit('error', new DashwireError('server_error', message || code, { details }));
  }

  /**
   * The server cannot replay up to `toSeq` (an ack with `recovered: false` and the channel's
   * position): report the gap now and run `resync`, rather than wait for the next live event,
   * which on a quiet channel may be minutes away while the app shows stale data.
   */
  function missed(channel: string, toSeq: number): void {
    const last = lastSeq.get(channel);
    if (last === undefined || toSeq === last) return;
    lastSeq.set(channel, toSeq);
    if (toSeq > last) return gap({ channel, fromSeq: last + 1, toSeq });
    // Behind our cursor: the server's history restarted (state lost, seqs from 1 again). Adopt
    // its position, or every new event would be dropped as a duplicate of an old seq; all of
    // its new history so far is unknown to us.
    if (toSeq >= 1) gap({ channel, fromSeq: 1, toSeq });
  }

  /**
   * Consumes an event's seq (NATIVE-1.1 §4): every event frame of a subscribed channel does,
   * delivered or rejected, before validation or the catalogue lookup, because the seq stream is
   * the server's, not the catalogue's. Returns false for a duplicate (already consumed); emits
   * `gap` for the seqs skipped before it.
   */
  function consume(channel: string | undefined, seq: number | undefined): boolean {
    if (channel === undefined || seq === undefined || !resumable || !registry.hasChannel(channel)) return true;
    const last = lastSeq.get(channel);
    if (last !== undefined && seq <= last) {
      counters.duplicates++;
      return false;
    }
    lastSeq.set(channel, seq);
    if (last !== undefined && seq > last + 1) gap({ channel, fromSeq: last + 1, toSeq: seq - 1 });
    return true;
  }

  /** A malformed item: reported as `invalid`, after consuming the seq of a readable envelope. */
  function rejected(item: Extract<Inbound, { kind: 'malformed' }>, raw: string): void {
    const { channel, seq, type } = item;
    if (!consume(channel, seq)) return;
    invalid({
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
    if (!record) {
      counters.unknown++;
      emitter.emit('unknown', { type, channel, data: item.data, raw });
      return;
    }
    const wires = channel === undefined ? undefined : registry.forChannel(channel);
    const result = record.check(item.data);
    if (!result.success) {
      return invalid({
        reason: 'schema',
        type,
        channel,
        issues: result.error.issues,
        detail: describeIssue(result.error.issues[0]),
        raw,
      });
    }
    // One object shape for every event keeps the handlers' call sites monomorphic.
    const meta: EventMeta = { type, channel, seq };
    const queue = channel === undefined || held.size === 0 ? undefined : held.get(channel);
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
    freshness?.touch(meta.channel, type, key);
    if (owned.size > 0 && meta.channel !== undefined) own(meta.channel, type, key);
    emitter.emit(type, data, meta);
    if (meta.channel !== undefined) {
      if (!wires) return;
      for (const wire of wires) {
        if (!matches || matches(wire.channel, wire.params, type, data)) routed(wire, type, data, meta);
      }
    } else if (matches) {
      for (const wire of registry.all()) {
        if (matches(wire.channel, wire.params, type, data)) routed(wire, type, data, meta);
      }
    }
  }

  function routed(wire: WireSubscription, type: string, data: unknown, meta: EventMeta): void {
    if (freshness) wire.lastEventAt = Date.now();
    wire.events.emit(type, data, meta);
  }

  function own(channel: string, type: string, key: string | undefined): void {
    const byType = owned.get(channel);
    if (!byType) return;
    let keys = byType.get(type);
    if (!keys) byType.set(type, (keys = new Set()));
    keys.add(key ?? '');
  }

  function gap(info: GapInfo): void {
    emitter.emit('gap', info);
    const healing = options.heal?.(info);
    if (!resync && !healing) return;
    if (held.has(info.channel) && !healing) return;
    hold(info.channel, async () => {
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

  function hold(channel: string, work: () => Promise<Covered | void>): void {
    if (held.has(channel)) {
      const pending = works.get(channel);
      if (pending) pending.push(work);
      else works.set(channel, [work]);
      return;
    }
    const queue: Held[] = [];
    held.set(channel, queue);
    const covers: Covered[] = [];
    const run = (next: () => Promise<Covered | void>): void => {
      Promise.resolve()
        .then(next)
        .then(
          (covered) => {
            if (covered) covers.push(covered);
          },
          () => {}, // the work reports its own failures; the held events are released anyway
        )
        .then(() => {
          if (held.get(channel) !== queue) return;
          const more = works.get(channel)?.shift();
          if (more) return run(more);
          works.delete(channel);
          held.delete(channel);
          for (const { type, data, meta, wires } of queue) {
            const record = types.get(type);
            if (!record || covers.some((covered) => covered(type, data, meta))) continue;
            // Subscriptions may have changed while the work ran: route by the current ones.
            deliver(record, data, meta, meta.channel === undefined ? wires : registry.forChannel(meta.channel));
          }
        });
    };
    run(work);
  }

  function applySnapshot(channel: string, items: readonly SnapshotItem[], seq: number | undefined): SnapshotItem[] {
    const valid: { record: TypeRecord; type: string; data: unknown; key: string | undefined }[] = [];
    for (const item of items) {
      const record = types.get(item.type);
      const raw = (): string => safeText(item);
      if (!record) {
        counters.unknown++;
        emitter.emit('unknown', { type: item.type, channel, data: item.data, raw: raw() });
        continue;
      }
      const result = record.check(item.data);
      if (!result.success) {
        invalid({
          reason: 'schema',
          type: item.type,
          channel,
          issues: result.error.issues,
          detail: describeIssue(result.error.issues[0]),
          raw: raw(),
        });
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
    // One synchronous step: no handler can observe a half-replaced store.
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
    for (const { record, type, data, key } of valid) {
      record.last = data;
      if (key !== undefined) record.byKey.set(key, data);
      freshness?.touch(channel, type, key);
    }
    // After the whole replacement, so a listener reads the new store.
    for (const [type, key] of removed) options.latest?.changed(type, key);
    for (const { type, key } of valid) options.latest?.changed(type, key);
    if (seq !== undefined && resumable && registry.hasChannel(channel))
      lastSeq.set(channel, Math.max(seq, lastSeq.get(channel) ?? 0));
    return valid.map(({ type, data }) => ({ type, data }));
  }

  function invalid(message: {
    reason: 'malformed' | 'oversize' | 'schema';
    detail: string;
    raw: string;
    type?: string;
    channel?: string;
    issues?: readonly unknown[];
  }): void {
    counters.invalid++;
    emitter.emit('invalid', message);
  }

  return {
    counters,
    byType() {
      const out: Record<string, number> = {};
      for (const [type, record] of types) if (record.count > 0) out[type] = record.count;
      return out;
    },
    items(list, raw, polled, handled = 0) {
      counters.frames++;
      counters.protocol += handled;
      for (const item of list) {
        if (item.kind === 'event') event(item, raw);
        else if (item.kind === 'malformed') rejected(item, raw);
        else {
          counters.protocol++;
          if (item.kind === 'ack') ack(item);
          else if (item.kind === 'error') serverError(item, polled);
        }
      }
    },
    latest(type, key) {
      const record = types.get(type);
      return key === undefined ? record?.last : record?.byKey.get(key);
    },
    since: (channel) => lastSeq.get(channel),
    forget(channel) {
      lastSeq.delete(channel);
      held.delete(channel);
      works.delete(channel);
      owned.delete(channel);
      freshness?.forget(channel);
    },
    hold,
    applySnapshot,
    reportGap: gap,
  };
}

function safeText(value: unknown): string {
  try {
    return stableStringify(value).slice(0, 1_024);
  } catch {
    return '';
  }
}

function describeIssue(issue: { path: readonly PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'schema validation failed';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
