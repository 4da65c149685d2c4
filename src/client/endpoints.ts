import type { DashwireError } from '../errors.js';
import type { Inbound, PollChannel, Protocol, SubscriptionParams } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import { createConnection, type Connection, type ConnectionOptions } from './connection.js';
import { watchPage } from './environment.js';
import type { Fallback, FallbackStrategy } from './fallback.js';
import type { Outbox } from './outbox.js';
import type { Receive } from './receive.js';
import { Reports } from './reports.js';
import type { SubscriptionRegistry, WireSubscription } from './subscriptions.js';
import { aggregateState } from './state.js';
import type { ConnectionState } from './types.js';

/** Settings every connection of a client shares. */
export type SharedConnectionOptions = Omit<
  ConnectionOptions,
  'endpoint' | 'urls' | 'transport' | 'channels' | 'probe' | 'poll'
>;

/** What the endpoints are made with. */
export interface EndpointsOptions {
  readonly protocol: Protocol;
  readonly urls: readonly string[];
  readonly transport: Transport;
  readonly hasWebSocket: boolean;
  readonly connection: SharedConnectionOptions;
  readonly registry: SubscriptionRegistry;
  /** The receive path's cursors, for `since` on subscribe frames and poll requests. */
  readonly receive: Pick<Receive, 'since'>;
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
  /** Decoded items from any connection; `polled` when they came over polling. */
  items: (items: readonly Inbound[], raw: string, polled: boolean, handled: number) => void;
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

/**
 * The set of connections (one per endpoint: one, or one per channel for protocols with
 * `endpointFor`), the polling connection while the fallback serves, and the routing of
 * subscriptions to them. The fallback swaps which set serves, as one move.
 */
export function createEndpoints(options: EndpointsOptions): Endpoints {
  const { protocol, urls, registry, outbox } = options;
  const firstUrl = urls[0] ?? '';
  const multiEndpoint = typeof protocol.endpointFor === 'function';
  const reports = new Reports<EndpointsReports>();
  const sockets = new Map<string, Connection>();
  let poller: Connection | undefined;
  let running = false;
  let nextId = 1;
  let detachPage: (() => void) | undefined;

  const fallback: Fallback | undefined = options.fallback?.start({
    protocol,
    random: options.connection.random,
    firstUrl,
    maxMessageBytes: options.connection.maxMessageBytes,
    hasWebSocket: options.hasWebSocket,
    probe: () =>
      createConnection({
        ...options.connection,
        endpoint: firstUrl,
        urls: [firstUrl],
        transport: options.transport,
        channels: () => [],
        probe: { silenceMs: Math.max(protocol.heartbeat.timeoutMs, 5_000) },
      }),
  });
  fallback?.on('enter', enterPolling);
  fallback?.on('leave', leavePolling);

  function endpointOf(wire: { channel: string; params: SubscriptionParams }): string {
    return multiEndpoint && wire.channel ? protocol.endpointFor!(firstUrl, wire.channel, wire.params) : firstUrl;
  }

  /** The wire subscriptions a connection serves: all of them when polling, else those of its endpoint. */
  function* wiresOn(connection: Connection): Generator<WireSubscription> {
    // Iterates the registry live (not a copy): a wire released by a handler meanwhile is skipped.
    for (const wire of registry.all())
      if (connection === poller || endpointOf(wire) === connection.endpoint) yield wire;
  }

  function make(
    endpoint: string,
    endpointUrls: readonly string[],
    transport: Transport,
    poll?: Fallback['poll'],
  ): Connection {
    const polled = poll !== undefined;
    const connection = createConnection({
      ...options.connection,
      ...(poll ? { heartbeat: false as const, poll } : {}),
      endpoint,
      urls: endpointUrls,
      transport,
      channels: () => {
        const out: PollChannel[] = [];
        for (const { channel, params } of wiresOn(connection)) {
          const since = options.receive.since(channel);
          out.push(since === undefined ? { channel, params } : { channel, params, since });
        }
        return out;
      },
    });
    connection.on('open', () => {
      for (const wire of wiresOn(connection)) subscribe(connection, wire);
      outbox.flush(connection);
      reports.emit('changed');
    });
    connection.on('items', (items, raw, handled) => reports.emit('items', items, raw, polled, handled));
    connection.on('refused', (error) => reports.emit('refused', error));
    connection.on('rtt', (ms) => reports.emit('rtt', ms));
    connection.on('changed', () => reports.emit('changed'));
    connection.on('down', (error, retryInMs) => down(connection, error, retryInMs));
    return connection;
  }

  function down(connection: Connection, error: DashwireError, retryInMs: number | undefined): void {
    const polled = connection === poller;
    for (const wire of wiresOn(connection)) {
      registry.clearPending(wire);
      if (wire.state === 'subscribed') wire.setState('pending');
    }
    if (retryInMs === undefined) {
      if (!polled && fallback?.takeOver(error)) return;
      return reports.emit('stopped', error);
    }
    reports.emit('down', error);
    if (!polled && fallback?.noteFailure(connection.failures)) return;
    reports.emit('changed');
  }

  function ensure(endpoint: string): Connection {
    let connection = sockets.get(endpoint);
    if (!connection) {
      connection = make(endpoint, multiEndpoint ? [endpoint] : urls, options.transport);
      sockets.set(endpoint, connection);
    }
    if (running && !poller) connection.connect();
    return connection;
  }

  function startSockets(): void {
    if (!multiEndpoint) ensure(firstUrl);
    for (const wire of registry.all()) ensure(endpointOf(wire));
  }

  /** Drops connections without hearing from them again (the swap reports once, at its end). */
  function dropAll(): void {
    for (const connection of sockets.values()) void connection.close();
    sockets.clear();
  }

  function enterPolling(): void {
    if (!fallback) return;
    dropAll();
    poller = make(fallback.url, [fallback.url], fallback.transport, fallback.poll);
    poller.connect();
    reports.emit('changed');
  }

  function leavePolling(): void {
    const old = poller;
    poller = undefined;
    void old?.close();
    for (const wire of registry.all()) if (wire.state === 'subscribed') wire.setState('pending');
    startSockets();
    reports.emit('changed');
  }

  /** `renew`: the wire is live and only re-sent (a server ended it); its state stays as it is. */
  function subscribe(connection: Connection, wire: WireSubscription, renew = false): void {
    if (connection.managesChannels) return wire.setState('subscribed');
    const id = nextId++;
    const { channel, params } = wire;
    const since = protocol.resumable ? options.receive.since(channel) : undefined;
    const frame = protocol.encodeSubscribe(
      since === undefined ? { id, channel, params } : { id, channel, params, since },
    );
    if (frame === null) return wire.setState('subscribed');
    if (wire.state !== 'pending' && !renew) wire.setState('pending');
    if (protocol.acks) registry.awaitAck(wire, id);
    connection.send(frame);
    if (!protocol.acks) wire.setState('subscribed');
  }

  registry.on('added', (wire) => {
    if (!running) return;
    if (poller) {
      if (poller.phase === 'open') wire.setState('subscribed');
      return;
    }
    const connection = ensure(endpointOf(wire));
    if (connection.phase === 'open') subscribe(connection, wire);
    reports.emit('changed');
  });

  registry.on('removed', (wire) => {
    registry.clearPending(wire);
    if (!running || poller) return;
    const endpoint = endpointOf(wire);
    const connection = sockets.get(endpoint);
    if (!connection) return;
    if (connection.phase === 'open') {
      const frame = protocol.encodeUnsubscribe({ id: nextId++, channel: wire.channel, params: wire.params });
      if (frame) connection.send(frame);
      // A server that ends the whole channel on unsubscribe (native 1.0) has just ended the
      // siblings too: subscribe them again, resuming with `since`, so none goes silent.
      if (frame && protocol.unsubscribeEndsChannel?.(connection.serverVersion)) {
        for (const sibling of registry.forChannel(wire.channel) ?? []) {
          if (endpointOf(sibling) === endpoint && sibling.state !== 'error') subscribe(connection, sibling, true);
        }
      }
    }
    // Multi-endpoint: the last wire of this endpoint is gone, so is its socket.
    if (multiEndpoint && wiresOn(connection).next().done) {
      sockets.delete(endpoint);
      void connection.close();
      reports.emit('changed');
    }
  });

  /** Starts running (once): from now on subscriptions connect, and the page's signals probe. */
  function run(): boolean {
    if (running) return false;
    running = true;
    // The page is back (visible, focused, shown, resumed): verify open links now, and retry
    // waiting ones now instead of at the end of a (hidden tab's, long) backoff.
    const probe = (): void => {
      for (const connection of sockets.values()) {
        connection.retryNow();
        connection.check(options.probeTimeoutMs);
      }
    };
    detachPage = watchPage({
      probe,
      online: () => {
        for (const connection of sockets.values()) connection.retryNow();
        probe();
      },
    });
    return true;
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    get polling() {
      return poller !== undefined;
    },
    state: () => aggregateState(poller ? [poller] : [...sockets.values()], running, poller !== undefined),
    start() {
      if (!run()) return;
      if (fallback?.shouldStartPolling()) return fallback.enter();
      startSockets();
      reports.emit('changed');
    },
    usePolling() {
      if (!fallback) return false;
      run();
      fallback.enter();
      return true;
    },
    send(channel, frame) {
      const endpoint = endpointOf({ channel, params: {} });
      const connection = sockets.get(endpoint);
      if (connection?.phase === 'open' && !poller && outbox.size === 0) return connection.send(frame);
      return outbox.push(endpoint, frame);
    },
    async close() {
      running = false;
      detachPage?.();
      detachPage = undefined;
      fallback?.close();
      reports.clear();
      const closing = [...sockets.values(), ...(poller ? [poller] : [])].map((connection) => connection.close());
      sockets.clear();
      poller = undefined;
      await Promise.all(closing);
    },
  };
}
