import type { DashwireError } from '../errors.js';
import type { ChannelArg, EventCatalog, EventName, EventPayload } from '../events.js';
import type { Protocol, SubscriptionParams } from '../protocol/types.js';
import type { EventMeta, GapInfo, InvalidMessage, UnknownMessage } from './message-types.js';
import type { FreshInfo, Freshness, FreshnessStats, ResyncedInfo, SnapshotInfo, StaleInfo } from './store-types.js';
import type { ValidationMode } from './validate.js';

/**
 * Connection state. `polling` means the REST fallback is serving the feed.
 * @category Client
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'polling' | 'closed';

/** Payload of the `state` event. @category Client */
export interface StateChange {
  readonly previous: ConnectionState;
  readonly current: ConnectionState;
  /** Why the client left `open`, or why it stopped (`closed` with an error). */
  readonly error?: DashwireError;
}

/** Options of one `client.subscribe()`. @category Subscriptions */
export interface SubscribeOptions {
  /**
   * Snapshot, then stream: fetch the channel's current state (the `snapshot` option, or the
   * protocol's snapshot endpoint), apply it to the latest store, emit `snapshot`, then deliver
   * live events after it with no duplicate and no hole; re-snapshot after every gap or
   * non-resumable reconnect (`resynced`). @default false
   */
  readonly snapshot?: boolean;
  /** This channel is stale after this long without an event, in ms. @default derived from the cadence seen */
  readonly staleAfterMs?: number;
}

/** Lifecycle events every client emits, whatever its protocol. @category Client */
export interface LifecycleEvents {
  /** The connection state changed. */
  state: (change: StateChange) => void;
  /** A frame or message failed validation and was not delivered. */
  invalid: (message: InvalidMessage) => void;
  /** A valid envelope whose type is not in the catalogue. */
  unknown: (message: UnknownMessage) => void;
  /** Something went wrong that the client handled (handler threw, server error frame, queue full…). */
  error: (error: DashwireError) => void;
  /** Events were missed and the server could not replay them (seq range), or may have been (time range). */
  gap: (gap: GapInfo) => void;
  /** A subscription's snapshot was applied to the latest store (`subscribe(…, { snapshot: true })`). */
  snapshot: (info: SnapshotInfo) => void;
  /** A channel was re-snapshotted after a gap or a non-resumable reconnect; its store entries were replaced. */
  resynced: (info: ResyncedInfo) => void;
  /** A channel went quiet beyond its threshold, or the connection left `open`. */
  stale: (info: StaleInfo) => void;
  /** Data flows again on a stale channel. */
  fresh: (info: FreshInfo) => void;
}

/** Handlers for each message type of a catalogue. @category Client */
export type MessageHandlers<E extends EventCatalog> = {
  [K in EventName<E>]: (payload: EventPayload<E, K>, meta: EventMeta) => void;
};

/** Every event a client emits: its catalogue's message types plus the lifecycle events. @category Client */
export type ClientEvents<E extends EventCatalog> = MessageHandlers<E> & LifecycleEvents;

/** State of a subscription. @category Subscriptions */
export type SubscriptionState = 'pending' | 'subscribed' | 'error' | 'unsubscribed';

/**
 * A handle on one `client.subscribe()` call. Handles with the same channel and
 * params share one wire subscription (reference-counted).
 * @category Subscriptions
 */
export interface Subscription<E extends EventCatalog = EventCatalog> {
  readonly channel: string;
  readonly params: SubscriptionParams;
  readonly state: SubscriptionState;
  /** The server's refusal, when `state` is `error`. */
  readonly error: DashwireError | undefined;
  /** Resolves when first subscribed; rejects if the server refuses or the client closes first. */
  readonly ready: Promise<void>;
  /** Typed handler for this subscription's events; returns an unsubscribe function. */
  on<K extends EventName<E>>(type: K, handler: MessageHandlers<E>[K]): () => void;
  /** Called on every state change of this subscription; returns an unsubscribe function. */
  onState(listener: (state: SubscriptionState, error: DashwireError | undefined) => void): () => void;
  /** Releases this handle; the wire unsubscribe goes out when the last handle is released. */
  unsubscribe(): void;
  /** When the last event of this subscription arrived; undefined before the first. */
  readonly lastEventAt: Date | undefined;
}

/** Counters and gauges of a client. @category Client */
export interface ClientStats {
  readonly state: ConnectionState;
  /** Transport in use: `websocket`, `polling`, `memory`, or a custom kind. */
  readonly transport: string;
  /** Frames received (WebSocket messages, or poll responses). */
  readonly frames: number;
  /** Valid events delivered. */
  readonly received: number;
  readonly invalid: number;
  readonly unknown: number;
  /**
   * Protocol items: welcome, ack, pong and server error frames. Every item a connection
   * receives is counted once: `received + invalid + unknown + protocol` (+ `duplicates` on
   * resumable protocols).
   */
  readonly protocol: number;
  /** Events dropped as already delivered (replayed after a resume). */
  readonly duplicates: number;
  /** Handlers that threw. */
  readonly handlerErrors: number;
  /** Server error frames. */
  readonly serverErrors: number;
  /** Reconnect attempts made. */
  readonly reconnects: number;
  /** Outgoing messages dropped because the queue was full. */
  readonly dropped: number;
  /** Outgoing messages waiting in the queue for a connection (at most `maxQueue`). */
  readonly queued: number;
  /** Last ping round-trip time, in ms. */
  readonly rttMs: number | undefined;
  /** Valid events per message type. */
  readonly byType: Readonly<Record<string, number>>;
  /** `compiled` (zod's `z.compile`, the default) or `runtime` (opted out, or code generation not allowed here). */
  readonly validation: ValidationMode;
  /** With `share: 'tabs'`: where the connection lives (`worker`, `leader`, `follower`, `private`, `waiting`). */
  /** Per channel: age of the last event, stale or not, and the threshold in use. */
  readonly freshness: FreshnessStats;
  /** With `share: tabs()`: where the connection lives (`worker`, `leader`, `follower`, `private`, `waiting`). */
  readonly share?: 'worker' | 'leader' | 'follower' | 'private' | 'waiting';
}

/**
 * A real-time feed client. Create one with {@link createClient}.
 * @category Client
 */
export interface Client<E extends EventCatalog = EventCatalog> {
  /** Current connection state. */
  readonly state: ConnectionState;
  /** The error that caused the last drop, or why the client stopped. */
  readonly error: DashwireError | undefined;
  readonly protocol: Protocol<E>;
  /**
   * Adds a lifecycle handler (`state`, `invalid`, `unknown`, `error`, `gap`, `snapshot`, `resynced`, `stale`, `fresh`); returns a function
   * that removes it. Listed first so that code generic over any catalogue (`Client<E>`) gets these
   * payload types too: a catalogue can never declare a reserved name.
   */
  on<K extends keyof LifecycleEvents>(event: K, handler: LifecycleEvents[K]): () => void;
  /** Adds a message handler; returns a function that removes it. Payloads are typed from the schemas. */
  on<K extends EventName<E>>(event: K, handler: MessageHandlers<E>[K]): () => void;
  /**
   * Subscribes to a channel (reference-counted per channel and params; survives reconnects).
   * Where the protocol declares its channels, a literal name outside them is a compile error;
   * a name computed at run time (typed `string`) is always accepted.
   */
  subscribe<C extends string>(
    channel: ChannelArg<E, C>,
    params?: SubscriptionParams,
    options?: SubscribeOptions,
  ): Subscription<E>;
  /** Last validated value of a message type, by key (see `keys`), or the most recent one. */
  latest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined;
  /**
   * Calls `listener` after `latest(type, key)` changed — with `key` undefined, after every event of
   * `type`; returns a function that stops. With `latest()` as its snapshot, this is the store
   * `useSyncExternalStore` takes: an event wakes the listeners of its own key only, so the cost
   * per message does not grow with the number of keyed readers.
   */
  onLatest<K extends EventName<E>>(type: K, key: string | undefined, listener: () => void): () => void;
  /** How old the value `latest(type, key)` returns is, and whether it is stale. */
  freshness<K extends EventName<E>>(type: K, key?: string): Freshness;
  /** Counters and gauges. */
  stats(): ClientStats;
  /**
   * Sends an application message (objects are JSON-encoded). Queued while disconnected;
   * returns false (and emits `error` `queue_full`) when the queue is full or the client closed.
   */
  send(message: string | object, options?: { channel?: string }): boolean;
  /** Starts connecting (for `lazy: true`; otherwise connecting starts by itself). */
  connect(): void;
  /** Switches to the REST polling fallback now (requires `fallback`). */
  usePolling(): void;
  /** Closes everything; resolves when sockets are closed and no timer or listener is left. */
  close(): Promise<void>;
}
