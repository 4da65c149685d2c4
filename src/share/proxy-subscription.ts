/**
 * A subscription handle as a tab holds it under `share: 'tabs'`: the same `Subscription<E>` a
 * private client returns, whose state is told by the host (`sub` messages) and whose events
 * the tab's proxy routes to it. Its `sid` is unique within the tab's client.
 */
import { SafeEmitter } from '../client/emitter.js';
import type { EventMeta } from '../client/message-types.js';
import type { ClientEvents, Subscription, SubscriptionState } from '../client/types.js';
import { DashwireError } from '../errors.js';
import type { EventCatalog, EventName } from '../events.js';
import type { Protocol, SubscriptionParams } from '../protocol/types.js';

/**
 * The moves a tab subscription can make. A host may go away and come back, so `subscribed`
 * returns to `pending` (and a new host may answer `pending` again); `unsubscribed` is final.
 */
const canMoveSub = (from: SubscriptionState, to: SubscriptionState): boolean =>
  from !== 'unsubscribed' &&
  (to === 'unsubscribed' || from === 'pending' || to === 'pending' || (from === 'subscribed' && to === 'error'));

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
  private settle: { resolve: () => void; reject: (error: DashwireError) => void } | undefined;
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
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.ready.catch(() => {});
  }

  /** Moves to `next` if `canMoveSub` allows it: settles `ready` and tells the state listeners. */
  setState(next: SubscriptionState, error?: DashwireError): void {
    if (next === this.state || !canMoveSub(this.state, next)) return;
    this.state = next;
    this.error = next === 'error' ? error : undefined;
    if (next === 'subscribed') this.settle?.resolve();
    if (next === 'error' || next === 'unsubscribed')
      this.settle?.reject(error ?? new DashwireError('client_closed', 'Unsubscribed before the server confirmed'));
    if (next !== 'pending') this.settle = undefined;
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
