import { DashwireError } from '../errors.js';
import type { EventCatalog } from '../events.js';
import { stableStringify } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import { unrefTimer } from '../timers.js';
import { SafeEmitter } from './emitter.js';
import { moveSubscription, readyPromise, type MovableSubscription } from './subscription-state.js';
import { Reports } from './reports.js';
import type { MessageHandlers, Subscription, SubscriptionState } from './types.js';

/** What the registry is made with. */
export interface RegistryOptions {
  /** Where a subscription handler's throw is reported. */
  readonly handlerError: (error: unknown, event: string) => void;
  /** How long a wire subscription outlives its last handle, in ms. */
  readonly unsubscribeDelayMs: number;
}

/** What the registry reports. */
export type RegistryReports = {
  /** A new wire subscription exists: subscribe on the wire when connected. */
  added: (wire: WireSubscription) => void;
  /** The last handle was released (after the grace delay): unsubscribe on the wire. */
  removed: (wire: WireSubscription) => void;
};

/**
 * One subscription on the wire, shared by every handle with the same channel
 * and params. Its `setState` is the only place its state changes.
 */
export class WireSubscription {
  state: SubscriptionState = 'pending';
  error: DashwireError | undefined;
  /** Id of the subscribe frame awaiting its ack. */
  pendingId: number | undefined;
  readonly handles = new Set<Subscription>();
  readonly ready: Promise<void>;
  releaseTimer: ReturnType<typeof setTimeout> | undefined;
  /** When an event was last routed to this subscription, unix ms (stamped by the receive path). */
  lastEventAt: number | undefined;
  /** @internal Settles `ready` (see subscription-state.ts). */
  settle: MovableSubscription['settle'];
  // The emitter and the state listeners are made on first use: an app holding 10,000
  // subscriptions that only `client.on(…)` pays for neither (bench/memory.mjs).
  private emitter: SafeEmitter | undefined;
  private stateListeners: Set<(s: SubscriptionState, e: DashwireError | undefined) => void> | undefined;

  constructor(
    readonly key: string,
    readonly channel: string,
    readonly params: SubscriptionParams,
    private readonly onHandlerError: (error: unknown, event: string) => void,
  ) {
    this.ready = readyPromise(this);
  }

  setState(next: SubscriptionState, error?: DashwireError): void {
    if (!moveSubscription(this, next, error)) return;
    if (this.stateListeners) for (const listener of this.stateListeners) listener(next, this.error);
  }

  onState(listener: (s: SubscriptionState, e: DashwireError | undefined) => void): () => void {
    const listeners = (this.stateListeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** The handles' message listeners (`subscription.on`). */
  get events(): SafeEmitter {
    return (this.emitter ??= new SafeEmitter(this.onHandlerError));
  }

  /** Delivers a routed event to the handles' listeners; free when no handle listens. */
  emit(type: string, data: unknown, meta: unknown): void {
    this.emitter?.emit(type, data, meta);
  }

  /** Drops every message listener (the subscription ended). */
  clearListeners(): void {
    this.emitter?.clear();
  }
}

/** Reference-counted wire subscriptions, as the client and the receive path use them. */
export interface SubscriptionRegistry extends Pick<Reports<RegistryReports>, 'on'> {
  /** A new handle on the wire subscription for (channel, params), created if needed. */
  acquire<E extends EventCatalog>(channel: string, params: SubscriptionParams): Subscription<E>;
  /** Records that subscribe frame `id` for this wire awaits its ack (replacing an older one). */
  awaitAck(wire: WireSubscription, id: number): void;
  /** The wire an ack or error answers (by frame id, else the pending one on its channel), no longer pending. */
  takePending(id: number | undefined, channel: string | undefined): WireSubscription | undefined;
  /** Forgets a wire's outstanding subscribe (its connection dropped, or it was released). */
  clearPending(wire: WireSubscription): void;
  /** Wire subscriptions on a channel (routing of events that name their channel). */
  forChannel(channel: string): readonly WireSubscription[] | undefined;
  /** Whether any wire subscription remains on this channel. */
  hasChannel(channel: string): boolean;
  all(): IterableIterator<WireSubscription>;
  /** Ends every subscription (client closed): pending `ready` promises reject. */
  closeAll(error: DashwireError): void;
}

/**
 * Reference-counts wire subscriptions per (channel, params) and indexes them
 * by channel (for routing) and by pending subscribe id (for acks).
 */
export function createRegistry(options: RegistryOptions): SubscriptionRegistry {
  const reports = new Reports<RegistryReports>();
  const byKey = new Map<string, WireSubscription>();
  const byChannel = new Map<string, WireSubscription[]>();
  /** Subscribe frames awaiting their ack, by frame id. */
  const pending = new Map<number, WireSubscription>();
  let closed = false;

  function release(wire: WireSubscription, handle: Subscription): void {
    if (closed) return;
    wire.handles.delete(handle);
    if (wire.handles.size > 0 || wire.releaseTimer) return;
    const delay = options.unsubscribeDelayMs;
    if (delay <= 0) return drop(wire);
    wire.releaseTimer = setTimeout(() => {
      wire.releaseTimer = undefined;
      if (wire.handles.size === 0) drop(wire);
    }, delay);
    unrefTimer(wire.releaseTimer);
  }

  function drop(wire: WireSubscription): void {
    if (byKey.get(wire.key) !== wire) return;
    byKey.delete(wire.key);
    const list = byChannel.get(wire.channel);
    if (list) {
      const rest = list.filter((w) => w !== wire);
      if (rest.length) byChannel.set(wire.channel, rest);
      else byChannel.delete(wire.channel);
    }
    reports.emit('removed', wire);
    wire.setState('unsubscribed');
    wire.clearListeners();
  }

  function clearPending(wire: WireSubscription): void {
    if (wire.pendingId !== undefined) pending.delete(wire.pendingId);
    wire.pendingId = undefined;
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    acquire<E extends EventCatalog>(channel: string, params: SubscriptionParams): Subscription<E> {
      const key = `${channel}\u0000${stableStringify(params)}`;
      let wire = byKey.get(key);
      if (wire) {
        clearTimeout(wire.releaseTimer);
        wire.releaseTimer = undefined;
      } else {
        wire = new WireSubscription(key, channel, params, options.handlerError);
        byKey.set(key, wire);
        const list = byChannel.get(channel);
        if (list) list.push(wire);
        else byChannel.set(channel, [wire]);
        reports.emit('added', wire);
      }
      const handle = new SubscriptionHandle<E>(wire, release);
      wire.handles.add(handle as Subscription);
      return handle;
    },
    awaitAck(wire, id) {
      clearPending(wire);
      wire.pendingId = id;
      pending.set(id, wire);
    },
    takePending(id, channel) {
      const wire =
        id !== undefined
          ? pending.get(id)
          : channel === undefined
            ? undefined
            : byChannel.get(channel)?.find((w) => w.pendingId !== undefined);
      if (wire) clearPending(wire);
      return wire;
    },
    clearPending,
    forChannel: (channel) => byChannel.get(channel),
    hasChannel: (channel) => byChannel.has(channel),
    all: () => byKey.values(),
    closeAll(error) {
      closed = true;
      pending.clear();
      for (const wire of byKey.values()) {
        clearTimeout(wire.releaseTimer);
        if (wire.state === 'pending') wire.setState('error', error);
        wire.setState('unsubscribed', error);
        wire.clearListeners();
        for (const handle of wire.handles) handle.unsubscribe();
        wire.handles.clear();
      }
      byKey.clear();
      byChannel.clear();
    },
  };
}

/**
 * The object `client.subscribe()` returns: one handle on a shared wire subscription. A class,
 * not a closure-built object: with methods on the prototype an app holding 10,000 handles pays
 * ~1.1 kB each instead of ~2 kB (bench/memory.mjs).
 */
class SubscriptionHandle<E extends EventCatalog> implements Subscription<E> {
  readonly channel: string;
  readonly params: SubscriptionParams;
  readonly ready: Promise<void>;
  private released = false;
  /** Unsubscribe functions of this handle's own listeners, undone by `unsubscribe()` (made on first use). */
  private offs: Set<() => void> | undefined;

  constructor(
    private readonly wire: WireSubscription,
    private readonly release: (wire: WireSubscription, handle: Subscription) => void,
  ) {
    this.channel = wire.channel;
    this.params = wire.params;
    this.ready = wire.ready;
  }

  get state(): SubscriptionState {
    return this.released ? 'unsubscribed' : this.wire.state;
  }

  get error(): DashwireError | undefined {
    return this.released ? undefined : this.wire.error;
  }

  get lastEventAt(): Date | undefined {
    const at = this.wire.lastEventAt;
    return at === undefined ? undefined : new Date(at);
  }

  on<K extends Extract<keyof E, string>>(type: K, handler: MessageHandlers<E>[K]): () => void {
    if (this.released) return () => {};
    return this.track(this.wire.events.on(type, handler));
  }

  onState(listener: (state: SubscriptionState, error: DashwireError | undefined) => void): () => void {
    if (this.released) return () => {};
    return this.track(this.wire.onState(listener));
  }

  unsubscribe(): void {
    if (this.released) return;
    this.released = true;
    const offs = this.offs;
    this.offs = undefined;
    if (offs) for (const off of offs) off();
    this.release(this.wire, this as Subscription);
  }

  private track(off: () => void): () => void {
    const offs = (this.offs ??= new Set());
    const once = (): void => {
      if (offs.delete(once)) off();
    };
    offs.add(once);
    return once;
  }
}
