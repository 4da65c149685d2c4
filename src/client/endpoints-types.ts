import type { DashwireError } from '../errors.js';
import type { Protocol } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import type { ConnectionOptions } from './connection-types.js';
import type { FallbackStrategy } from './fallback.js';
import type { Outbox } from './outbox.js';
import type { Receive } from './receive.js';
import type { Reports } from './reports.js';
import type { SubscriptionRegistry } from './subscriptions.js';
import type { ConnectionState } from './types.js';

// The contract of the client's set of connections (endpoints.ts implements it): what it is
// made with, the commands it takes and what it reports to the client.

/** Settings every connection of a client shares. */
export type SharedConnectionOptions = Omit<
  ConnectionOptions,
  'endpoint' | 'urls' | 'transport' | 'channels' | 'probe' | 'poll' | 'deliver'
>;

/** What the endpoints are made with. */
export interface EndpointsOptions {
  readonly protocol: Protocol;
  readonly urls: readonly string[];
  readonly transport: Transport;
  readonly hasWebSocket: boolean;
  readonly connection: SharedConnectionOptions;
  readonly registry: SubscriptionRegistry;
  /**
   * The receive path: every connection delivers its frames' items there (`polled` marks the
   * polling one's); its cursors give `since` on subscribe frames and poll requests.
   */
  readonly receive: Pick<Receive, 'since' | 'items'>;
  readonly outbox: Outbox;
  readonly fallback: FallbackStrategy | undefined;
  /** Timeout of the probe sent when the page wakes up or the network comes back, in ms. */
  readonly probeTimeoutMs: number;
}

/** What the endpoints report to the client. */
export type EndpointsReports = {
  /** The aggregate state may have changed (see {@link Endpoints.state}). */
  changed: () => void;
  /** A connection dropped and will retry (the client counts a reconnect and keeps the error). */
  down: (error: DashwireError) => void;
  /** A connection gave up and nothing takes over: the client stops. */
  stopped: (error: DashwireError) => void;
  /** A server refused the credentials in an error frame. */
  refused: (error: DashwireError) => void;
  rtt: (ms: number) => void;
};

/** The client's connections (see {@link createEndpoints}). */
export interface Endpoints extends Pick<Reports<EndpointsReports>, 'on'> {
  /** Whether the polling fallback serves the feed. */
  readonly polling: boolean;
  /** The state the connections add up to (the client's state machine moves there). */
  state(): ConnectionState;
  /** Starts connecting (or polling, when the fallback says so); idempotent. */
  start(): void;
  /** Switches to polling now; false without a fallback. */
  usePolling(): boolean;
  /** Sends an application frame, or queues it; false when the queue is full. */
  send(channel: string, frame: string): boolean;
  /** Stops everything; resolves when every socket reported its close. */
  close(): Promise<void>;
}
