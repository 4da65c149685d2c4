import { safeParse, type $ZodType } from 'zod/v4/core';
import { DashwireError } from '../errors.js';
import type { EventCatalog } from '../events.js';
import type { Inbound, Protocol } from '../protocol/types.js';
import type { SafeEmitter } from './emitter.js';
import type { SubscriptionRegistry, WireSubscription } from './subscriptions.js';
import type { EventMeta, GapInfo } from './types.js';

type EventItem = Extract<Inbound, { kind: 'event' }>;
type ControlItem = Exclude<Inbound, { kind: 'event' } | { kind: 'malformed' }>;

/** What the pipeline needs from the client. */
export interface PipelineHost {
  readonly protocol: Protocol;
  readonly emitter: SafeEmitter;
  readonly registry: SubscriptionRegistry;
  readonly keys: { readonly [type: string]: ((payload: never) => string) | undefined };
  readonly maxMessageBytes: number;
  readonly resync: ((gap: GapInfo) => void | Promise<void>) | undefined;
  /** Welcome, ack, error and pong items go back to the client, which knows links and pending acks. */
  control(item: ControlItem, context: unknown): void;
}

/** Counters the pipeline keeps (read by `client.stats()`). */
export interface PipelineCounters {
  frames: number;
  received: number;
  invalid: number;
  unknown: number;
  duplicates: number;
}

/**
 * Everything the receive path needs about one message type, found with one lookup per
 * event (the hot path once made seven map and dictionary lookups; see docs/benchmarks.md).
 */
interface TypeRecord {
  readonly schema: $ZodType;
  readonly keyOf: ((payload: unknown) => string) | undefined;
  count: number;
  /** Most recent payload of any key. */
  last: unknown;
  /** Most recent payload per key, when the type has a key function. */
  readonly byKey: Map<string, unknown>;
}

type Held = { type: string; data: unknown; meta: EventMeta; wires: readonly WireSubscription[] | undefined };

/** Bytes of a string as UTF-8, counting only until `limit` is passed. */
export function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * The receive path: size check, decode, validation, per-channel seq (de-duplication
 * and gap detection), then dispatch to client handlers, subscription handlers and
 * the latest-value store. Nothing here throws on input: every rejection becomes an
 * `invalid` or `unknown` event with a counter.
 */
export class InboundPipeline {
  readonly counters: PipelineCounters = { frames: 0, received: 0, invalid: 0, unknown: 0, duplicates: 0 };
  /** Last seq delivered per channel (resumable protocols); sent as `since` on resubscribe. */
  readonly lastSeq = new Map<string, number>();
  /** Known message types only: a feed of made-up type names cannot grow this map. */
  private readonly types = new Map<string, TypeRecord>();
  /** Channels whose live events wait for a running resync hook. */
  private readonly held = new Map<string, Held[]>();
  private readonly resumable: boolean;

  constructor(private readonly host: PipelineHost) {
    const events: EventCatalog = host.protocol.events;
    for (const type of Object.keys(events)) {
      if (!hasOwn(events, type)) continue;
      const keyOf = host.keys[type] as ((payload: unknown) => string) | undefined;
      this.types.set(type, { schema: events[type] as $ZodType, keyOf, count: 0, last: undefined, byKey: new Map() });
    }
    this.resumable = host.protocol.resumable;
  }

  /** Valid events delivered, per type. */
  byType(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [type, record] of this.types) if (record.count > 0) out[type] = record.count;
    return out;
  }

  /** One text frame from a WebSocket-like transport. */
  frame(frame: string, context: unknown): void {
    this.counters.frames++;
    const max = this.host.maxMessageBytes;
    if (frame.length > max || (frame.length * 3 > max && utf8Length(frame, max) > max)) {
      return this.invalid({ reason: 'oversize', detail: `frame exceeds maxMessageBytes (${max})`, raw: frame.slice(0, 1024) });
    }
    let items: Inbound[];
    try {
      items = this.host.protocol.decode(frame);
    } catch (error) {
      // A protocol's decode must not throw; if a user-written one does, the frame is malformed.
      return this.invalid({ reason: 'malformed', detail: `decode threw: ${describeThrown(error)}`, raw: frame });
    }
    this.items(items, frame, context, false);
  }

  /** Items a transport decoded itself (polling). */
  items(items: readonly Inbound[], raw: string, context: unknown, countFrame = true): void {
    if (countFrame) this.counters.frames++;
    for (const item of items) {
      if (item.kind === 'event') this.event(item, raw);
      else if (item.kind === 'malformed') this.invalid({ reason: item.reason ?? 'malformed', detail: item.detail, raw });
      else this.host.control(item, context);
    }
  }

  private event(item: EventItem, raw: string): void {
    const { type, channel, seq } = item;
    const record = this.types.get(type);
    if (!record) {
      this.counters.unknown++;
      this.host.emitter.emit('unknown', { type, channel, data: item.data, raw });
      return;
    }
    const wires = channel === undefined ? undefined : this.host.registry.forChannel(channel);
    let gap: GapInfo | undefined;
    if (channel !== undefined && seq !== undefined && this.resumable && wires) {
      const last = this.lastSeq.get(channel);
      if (last !== undefined && seq <= last) {
        this.counters.duplicates++;
        return;
      }
      if (last !== undefined && seq > last + 1) gap = { channel, fromSeq: last + 1, toSeq: seq - 1 };
      // The seq counts as consumed even if the payload is invalid: the server will not send it again.
      this.lastSeq.set(channel, seq);
    }
    const result = safeParse(record.schema, item.data);
    if (gap) this.gap(gap);
    if (!result.success) {
      return this.invalid({
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
    const held = channel === undefined || this.held.size === 0 ? undefined : this.held.get(channel);
    if (held) held.push({ type, data: result.data, meta, wires });
    else this.deliver(record, result.data, meta, wires);
  }

  private deliver(record: TypeRecord, data: unknown, meta: EventMeta, wires: readonly WireSubscription[] | undefined): void {
    const { host } = this;
    const { type } = meta;
    this.counters.received++;
    record.count++;
    record.last = data;
    if (record.keyOf) {
      try {
        record.byKey.set(record.keyOf(data), data);
      } catch {
        // A key function that throws on an odd payload must not cost the delivery.
      }
    }
    host.emitter.emit(type, data, meta);
    const matches = host.protocol.matches;
    if (meta.channel !== undefined) {
      if (!wires) return;
      for (const wire of wires) {
        if (!matches || matches(wire.channel, wire.params, type, data)) wire.events.emit(type, data, meta);
      }
    } else if (matches) {
      for (const wire of host.registry.all()) {
        if (matches(wire.channel, wire.params, type, data)) wire.events.emit(type, data, meta);
      }
    }
  }

  /** Last value of a type, by key (or the most recent of any key). */
  latest(type: string, key?: string): unknown {
    const record = this.types.get(type);
    return key === undefined ? record?.last : record?.byKey.get(key);
  }

  /**
   * The server cannot replay up to `toSeq` (an ack with `recovered: false` and the channel's
   * position): report the gap now and run `resync`, rather than wait for the next live event,
   * which on a quiet channel may be minutes away while the app shows stale data.
   */
  missed(channel: string, toSeq: number): void {
    const last = this.lastSeq.get(channel);
    if (last === undefined || toSeq === last) return;
    this.lastSeq.set(channel, toSeq);
    if (toSeq > last) return this.gap({ channel, fromSeq: last + 1, toSeq });
    // Behind our cursor: the server's history restarted (state lost, seqs from 1 again). Adopt
    // its position, or every new event would be dropped as a duplicate of an old seq; all of
    // its new history so far is unknown to us.
    if (toSeq >= 1) this.gap({ channel, fromSeq: 1, toSeq });
  }

  /** Forgets the seq of a channel nobody subscribes to any more (a later subscribe starts fresh). */
  forgetChannel(channel: string): void {
    this.lastSeq.delete(channel);
    this.held.delete(channel);
  }

  private gap(gap: GapInfo): void {
    this.host.emitter.emit('gap', gap);
    const resync = this.host.resync;
    if (!resync || this.held.has(gap.channel)) return;
    const queue: Held[] = [];
    this.held.set(gap.channel, queue);
    const release = (): void => {
      if (this.held.get(gap.channel) !== queue) return;
      this.held.delete(gap.channel);
      for (const { type, data, meta, wires } of queue) {
        const record = this.types.get(type);
        // Subscriptions may have changed while the resync ran: route by the current ones.
        if (record) this.deliver(record, data, meta, meta.channel === undefined ? wires : this.host.registry.forChannel(meta.channel));
      }
    };
    Promise.resolve()
      .then(() => resync(gap))
      .catch((cause: unknown) => {
        this.host.emitter.emit('error', new DashwireError('resync_failed', `Resync of "${gap.channel}" failed`, { cause, details: { ...gap } }));
      })
      .then(release);
  }

  private invalid(message: { reason: 'malformed' | 'oversize' | 'schema'; detail: string; raw: string; type?: string; channel?: string; issues?: readonly unknown[] }): void {
    this.counters.invalid++;
    this.host.emitter.emit('invalid', message);
  }
}

/** Text of anything thrown; String() itself throws on objects without a usable toString. */
function describeThrown(error: unknown): string {
  try {
    return String(error);
  } catch {
    return 'an unprintable value';
  }
}

function describeIssue(issue: { path: readonly PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'schema validation failed';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
