/**
 * A subscription handle as a tab holds it under `share: 'tabs'`: the same `Subscription<E>` a
 * private client returns, whose state is told by the host (`sub` messages) and whose events
 * the tab's proxy routes to it. Its `sid` is unique within the tab's client.
 */
import { SafeEmitter } from '../client/emitter.js';
import { moveSubscription, readyPromise, type MovableSubscription } from '../client/subscription-state.js';
import type { EventMeta } from '../client/message-types.js';
import type { ClientEvents, Subscription, SubscriptionState } from '../client/types.js';
import { DashwireError } from '../errors.js';
import type { EventCatalog, EventName } from '../events.js';
import type { Protocol, SubscriptionParams } from '../protocol/types.js';

export class ProxySubscription<E extends EventCatalog> implements Subscription<E> {
  state: SubscriptionState = 'pending';
  error: DashwireError | undefined;
  /** #16: when this tab last routed an event to it, unix ms. */
  lastAt: number | undefined;
  get lastEventAt(): Date | undefined {
    return this.lastAt === undefined ? undefined : new Date(this.lastAt);
  }
  readonly ready: Promise<void>;
  /** The handlers of this subscription's events; the proxy emits what it routes here. */
  readonly events: SafeEmitter;
  /** @internal Settles `ready` (see client/subscription-state.ts). */
  settle: MovableSubscription['settle'];
  private readonly stateListeners: SafeEmitter;

  /**
   * `threw` is told of a handler that threw (the others still run); `release` is the proxy's
   * own unsubscribe for this handle, called once, by `unsubscribe()`.
   */
  constructor(
    readonly sid: number,
    readonly channel: string,
    readonly params: SubscriptionParams,
    threw: (error: unknown, event: string) => void,
    private readonly release: (sub: ProxySubscription<E>) => void,
  ) {
    this.events = new SafeEmitter(threw);
    this.stateListeners = new SafeEmitter(threw);
    this.ready = readyPromise(this);
  }

  /**
   * Moves to `next` if the subscription rules allow it (a host may go away and come back, so
   * `subscribed` returns to `pending`): settles `ready` and tells the state listeners.
   */
  setState(next: SubscriptionState, error?: DashwireError): void {
    if (!moveSubscription(this, next, error)) return;
    this.stateListeners.emit('state', next, this.error);
  }

  /**
   * Whether an event is this subscription's: one on its channel that the protocol's `matches`
   * (if it has one) accepts for its params; an event without a channel only through `matches`.
   */
  wants(protocol: Pick<Protocol<E>, 'matches'>, type: string, data: unknown, channel: string | undefined): boolean {
    const matches = (): boolean => protocol.matches?.(this.channel, this.params, type, data) ?? true;
    return channel !== undefined ? this.channel === channel && matches() : protocol.matches !== undefined && matches();
  }

  /** Hands a routed event to this subscription's handlers. */
  deliver(type: string, data: unknown, meta: EventMeta): void {
    this.lastAt = Date.now();
    this.events.emit(type, data, meta);
  }

  on<K extends EventName<E>>(type: K, handler: ClientEvents<E>[K]): () => void {
    return this.events.on(type, handler);
  }

  onState(listener: (state: SubscriptionState, error: DashwireError | undefined) => void): () => void {
    return this.stateListeners.on('state', listener);
  }

  unsubscribe(): void {
    if (this.state !== 'unsubscribed') this.release(this);
  }
}
