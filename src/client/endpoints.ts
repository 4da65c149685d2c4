import type { DashwireError } from '../errors.js';
import type { PollChannel, SubscriptionParams } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import { createConnection } from './connection.js';
import type { Connection } from './connection-types.js';
import type { Endpoints, EndpointsOptions, EndpointsReports } from './endpoints-types.js';
import { watchPage } from './environment.js';
import type { Fallback } from './fallback.js';
import { Reports } from './reports.js';
import { createSubscribeFrames } from './subscribe-frames.js';
import type { WireSubscription } from './subscriptions.js';
import { aggregateState } from './state.js';

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
  const frames = createSubscribeFrames(options);
  /**
   * Set from the first `start()` (or `usePolling()`) until `close()`: detaches what running
   * attached, the registry's reports and the page's signals. Being set is what "running" means
   * here: before, a subscription only waits in the registry; after, nothing can reconnect.
   */
  let detach: (() => void) | undefined;

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
        deliver: () => {}, // the probe only proves the socket works: the fallback keeps polling
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
      deliver: (items, raw, handled) => options.receive.items(items, raw, polled, handled),
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
      for (const wire of wiresOn(connection)) frames.subscribe(connection, wire);
      outbox.flush(connection);
      reports.emit('changed');
    });
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
    if (!poller) connection.connect();
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

  function added(wire: WireSubscription): void {
    if (poller) {
      if (poller.phase === 'open') wire.setState('subscribed');
      return;
    }
    const connection = ensure(endpointOf(wire));
    if (connection.phase === 'open') frames.subscribe(connection, wire);
    reports.emit('changed');
  }

  function removed(wire: WireSubscription): void {
    registry.clearPending(wire);
    if (poller) return;
    const endpoint = endpointOf(wire);
    const connection = sockets.get(endpoint);
    if (!connection) return;
    // The server may have ended the siblings too: subscribe them again, resuming with `since`.
    if (connection.phase === 'open' && frames.unsubscribe(connection, wire)) {
      for (const sibling of registry.forChannel(wire.channel) ?? []) {
        if (endpointOf(sibling) === endpoint && sibling.state !== 'error') frames.subscribe(connection, sibling, true);
      }
    }
    // Multi-endpoint: the last wire of this endpoint is gone, so is its socket.
    if (multiEndpoint && wiresOn(connection).next().done) {
      sockets.delete(endpoint);
      void connection.close();
      reports.emit('changed');
    }
  }

  /** Starts running (once): from now on subscriptions connect, and the page's signals probe. */
  function run(): boolean {
    if (detach) return false;
    // The page is back (visible, focused, shown, resumed): verify open links now, and retry
    // waiting ones now instead of at the end of a (hidden tab's, long) backoff.
    const probe = (): void => {
      for (const connection of sockets.values()) {
        connection.retryNow();
        connection.check(options.probeTimeoutMs);
      }
    };
    const detachPage = watchPage({
      probe,
      online: () => {
        for (const connection of sockets.values()) connection.retryNow();
        probe();
      },
    });
    const stopAdded = registry.on('added', added);
    const stopRemoved = registry.on('removed', removed);
    detach = () => {
      detachPage();
      stopAdded();
      stopRemoved();
    };
    return true;
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    get polling() {
      return poller !== undefined;
    },
    state: () => aggregateState(poller ? [poller] : [...sockets.values()], detach !== undefined, poller !== undefined),
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
      detach?.();
      detach = undefined;
      fallback?.close();
      reports.clear();
      const closing = [...sockets.values(), ...(poller ? [poller] : [])].map((connection) => connection.close());
      sockets.clear();
      poller = undefined;
      await Promise.all(closing);
    },
  };
}
