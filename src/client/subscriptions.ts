import { DashwireError } from '../errors.js';
import type { EventCatalog } from '../events.js';
import { stableStringify } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import { unrefTimer } from '../timers.js';
import { SafeEmitter } from './emitter.js';
import type { MessageHandlers, Subscription, SubscriptionState } from './types.js';

/** What the registry needs from the client. */
export interface RegistryHooks {
  /** A new wire subscription exists: subscribe on the wire when connected. */
  added(wire: WireSubscription): void;
  /** The last handle was released (after the grace delay): unsubscribe on the wire. */
  removed(wire: WireSubscription): void;
  handlerError(error: unknown, event: string): void;
  unsubscribeDelayMs: number;
}

const allowed: Record<SubscriptionState, readonly SubscriptionState[]> = {
  pending: ['subscribed', 'error', 'unsubscribed'],
  subscribed: ['pending', 'unsubscribed'],
  error: ['pending', 'unsubscribed'],
  unsubscribed: [],
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
  readonly handles = new Set<SubscriptionHandle>();
  readonly events: SafeEmitter;
  readonly ready: Promise<void>;
  releaseTimer: ReturnType<typeof setTimeout> | undefined;
  private settle: { resolve: () => void; reject: (e: DashwireError) => void } | undefined;
  private readonly stateListeners = new Set<(s: SubscriptionState, e: DashwireError | undefined) => void>();

  constructor(
    readonly key: string,
    readonly channel: string,
    readonly params: SubscriptionParams,
    onHandlerError: (error: unknown, event: string) => void,
  ) {
    this.events = new SafeEmitter(onHandlerError);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // `ready` may never be awaited; its rejection must not become an unhandled rejection.
    this.ready.catch(() => {});
  }

  setState(next: SubscriptionState, error?: DashwireError): void {
    if (next === this.state && next !== 'error') return;
    if (!allowed[this.state].includes(next)) return;
    this.state = next;
    this.error = next === 'error' ? error : undefined;
    if (next === 'subscribed') this.settle?.resolve();
    if (next === 'error' || next === 'unsubscribed') {
      this.settle?.reject(error ?? new DashwireError('client_closed', 'Unsubscribed before the server confirmed'));
    }
    if (next !== 'pending') this.settle = undefined;
    for (const listener of this.stateListeners) listener(next, this.error);
  }

  onState(listener: (s: SubscriptionState, e: DashwireError | undefined) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }
}

/** The object `client.subscribe()` returns. */
export class SubscriptionHandle<E extends EventCatalog = EventCatalog> implements Subscription<E> {
  private released = false;
  private readonly offs = new Set<() => void>();

  constructor(
    private readonly wire: WireSubscription,
    private readonly registry: SubscriptionRegistry,
  ) {}

  get channel(): string {
    return this.wire.channel;
  }
  get params(): SubscriptionParams {
    return this.wire.params;
  }
  get state(): SubscriptionState {
    return this.released ? 'unsubscribed' : this.wire.state;
  }
  get error(): DashwireError | undefined {
    return this.released ? undefined : this.wire.error;
  }
  get ready(): Promise<void> {
    return this.wire.ready;
  }

  on<K extends Extract<keyof E, string>>(type: K, handler: MessageHandlers<E>[K]): () => void {
    if (this.released) return () => {};
    const off = this.wire.events.on(type, handler as (...args: never[]) => void);
    return this.track(off);
  }

  onState(listener: (state: SubscriptionState, error: DashwireError | undefined) => void): () => void {
    if (this.released) return () => {};
    return this.track(this.wire.onState(listener));
  }

  unsubscribe(): void {
    if (this.released) return;
    this.released = true;
    for (const off of this.offs) off();
    this.offs.clear();
    this.registry.release(this.wire, this);
  }

  private track(off: () => void): () => void {
    const once = (): void => {
      if (this.offs.delete(once)) off();
    };
    this.offs.add(once);
    return once;
  }
}

/**
 * Reference-counts wire subscriptions per (channel, params) and indexes them
 * by channel (for routing) and by pending subscribe id (for acks).
 */
export class SubscriptionRegistry {
  private readonly byKey = new Map<string, WireSubscription>();
  private readonly byChannel = new Map<string, WireSubscription[]>();
  /** Subscribe frames awaiting their ack, by frame id. */
  private readonly pending = new Map<number, WireSubscription>();
  private closed = false;

  constructor(private readonly hooks: RegistryHooks) {}

  acquire<E extends EventCatalog>(channel: string, params: SubscriptionParams): SubscriptionHandle<E> {
    const key = `${channel}\u0000${stableStringify(params)}`;
    let wire = this.byKey.get(key);
    if (wire) {
      clearTimeout(wire.releaseTimer);
      wire.releaseTimer = undefined;
    } else {
      wire = new WireSubscription(key, channel, params, this.hooks.handlerError);
      this.byKey.set(key, wire);
      const list = this.byChannel.get(channel);
      if (list) list.push(wire);
      else this.byChannel.set(channel, [wire]);
      this.hooks.added(wire);
    }
    const handle = new SubscriptionHandle<E>(wire, this as SubscriptionRegistry);
    wire.handles.add(handle as SubscriptionHandle);
    return handle;
  }

  release(wire: WireSubscription, handle: SubscriptionHandle): void {
    if (this.closed) return;
    wire.handles.delete(handle);
    if (wire.handles.size > 0 || wire.releaseTimer) return;
    const delay = this.hooks.unsubscribeDelayMs;
    if (delay <= 0) return this.drop(wire);
    wire.releaseTimer = setTimeout(() => {
      wire.releaseTimer = undefined;
      if (wire.handles.size === 0) this.drop(wire);
    }, delay);
    unrefTimer(wire.releaseTimer);
  }

  private drop(wire: WireSubscription): void {
    if (this.byKey.get(wire.key) !== wire) return;
    this.byKey.delete(wire.key);
    const list = this.byChannel.get(wire.channel);
    if (list) {
      const rest = list.filter((w) => w !== wire);
      if (rest.length) this.byChannel.set(wire.channel, rest);
      else this.byChannel.delete(wire.channel);
    }
    this.hooks.removed(wire);
    wire.setState('unsubscribed');
    wire.events.clear();
  }

  /** Records that subscribe frame `id` for this wire awaits its ack (replacing an older one). */
  awaitAck(wire: WireSubscription, id: number): void {
    this.clearPending(wire);
    wire.pendingId = id;
    this.pending.set(id, wire);
  }

  /** The wire an ack or error answers (by frame id, else the pending one on its channel), no longer pending. */
  takePending(id: number | undefined, channel: string | undefined): WireSubscription | undefined {
    const wire = id !== undefined ? this.pending.get(id) : channel === undefined ? undefined : this.byChannel.get(channel)?.find((w) => w.pendingId !== undefined);
    if (wire) this.clearPending(wire);
    return wire;
  }

  /** Forgets a wire's outstanding subscribe (its connection dropped, or it was released). */
  clearPending(wire: WireSubscription): void {
    if (wire.pendingId !== undefined) this.pending.delete(wire.pendingId);
    wire.pendingId = undefined;
  }

  /** Wire subscriptions on a channel (routing of events that name their channel). */
  forChannel(channel: string): readonly WireSubscription[] | undefined {
    return this.byChannel.get(channel);
  }

  /** Whether any wire subscription remains on this channel. */
  hasChannel(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  all(): IterableIterator<WireSubscription> {
    return this.byKey.values();
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Ends every subscription (client closed): pending `ready` promises reject. */
  closeAll(error: DashwireError): void {
    this.closed = true;
    this.pending.clear();
    for (const wire of this.byKey.values()) {
      clearTimeout(wire.releaseTimer);
      if (wire.state === 'pending') wire.setState('error', error);
      wire.setState('unsubscribed', error);
      wire.events.clear();
      for (const handle of wire.handles) handle.unsubscribe();
      wire.handles.clear();
    }
    this.byKey.clear();
    this.byChannel.clear();
  }
}
