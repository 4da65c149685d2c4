import { DashwireError } from '../errors.js';
import type { EventCatalog, EventName, EventPayload } from '../events.js';
import type { DashboardEvents } from '../protocol/dashboard-catalog.js';
import { native } from '../protocol/native.js';
import type { Protocol, SubscriptionParams } from '../protocol/types.js';
import { resolveWebSocket, webSocketTransport } from '../transport/websocket.js';
import { resolveReconnect } from './backoff.js';
import { SafeEmitter } from './emitter.js';
import { createEndpoints } from './endpoints.js';
import { checkUrls, httpOrigin, pageHidden } from './environment.js';
import { createFreshness } from './freshness.js';
import { browserOffline } from './liveness.js';
import { createSnapshots } from './snapshot.js';
import type { HeartbeatTiming } from './heartbeat.js';
import { clientDefaults, type ClientOptions } from './options.js';
import { createOutbox } from './outbox.js';
import { createReceive, type ReceiveOptions } from './receive.js';
import { StateMachine } from './state.js';
import { createRegistry } from './subscriptions.js';
import { createTokenSource } from './token.js';
import { validationMode } from './validate.js';
import { createLatestListeners } from './latest.js';
import type { Client, ClientEvents, ClientStats, SubscribeOptions, Subscription } from './types.js';
import type { Freshness } from './store-types.js';

/** The heartbeat timing after the protocol's defaults and the user's options. */
function heartbeatTiming(
  protocol: Protocol,
  option: ClientOptions<EventCatalog>['heartbeat'],
  probeTimeoutMs: number,
): HeartbeatTiming | false {
  if (option === false) return false;
  const hb = { ...protocol.heartbeat, ...option };
  return {
    intervalMs: hb.intervalMs,
    timeoutMs: hb.timeoutMs,
    hiddenTimeoutMs: hb.hiddenTimeoutMs ?? hb.timeoutMs * clientDefaults.hiddenTimeoutFactor,
    wakeTimeoutMs: probeTimeoutMs,
  };
}

/**
 * Creates a client. Connecting starts on the next microtask (or on first use with `lazy`),
 * so handlers attached right after creation see every state change.
 *
 * ```ts
 * const client = createClient({ url: 'ws://localhost:8080/ws', protocol: native() });
 * client.on('price_update', (tick) => console.log(tick.symbol, tick.price));
 * ```
 * @category Client
 */
export function createClient(
  options: ClientOptions<DashboardEvents> & { protocol?: undefined },
): Client<DashboardEvents>;
export function createClient<E extends EventCatalog>(options: ClientOptions<E> & { protocol: Protocol<E> }): Client<E>;
export function createClient<E extends EventCatalog>(options: ClientOptions<E>): Client<E> {
  if (options.share) return options.share.start(options);
  // This function only wires the units together (docs/architecture.md): endpoints own the
  // connections, receive owns the inbound path, the registry owns subscriptions, the state
  // machine owns the connection state. Reports come up as events; commands go down as calls.
  const protocol = (options.protocol ?? native()) as Protocol<E>;
  const urls = options.urls ?? (options.url !== undefined ? [options.url] : []);
  const requireSecure = options.requireSecure ?? false;
  checkUrls(urls, requireSecure, options.transport !== undefined);
  // The polling fallback's URL too: requireSecure must not be bypassed by falling back.
  if (options.fallback?.url !== undefined) checkUrls([options.fallback.url], requireSecure);

  const counts = { handlerErrors: 0, reconnects: 0, dropped: 0, rttMs: undefined as number | undefined };
  const emitError = (error: DashwireError): void => emitter.emit('error', error);
  const handlerThrew = (error: unknown, event: string): void => {
    counts.handlerErrors++;
    if (event === 'error') return; // an error handler that throws must not recurse
    emitError(
      new DashwireError('handler_threw', `A handler for "${event}" threw`, { cause: error, details: { event } }),
    );
  };
  const emitter = new SafeEmitter(handlerThrew);
  const machine = new StateMachine(emitter);
  const registry = createRegistry({
    handlerError: handlerThrew,
    unsubscribeDelayMs: options.unsubscribeDelayMs ?? clientDefaults.unsubscribeDelayMs,
  });
  const freshness = createFreshness({ emitter, staleAfterMs: options.staleAfterMs });
  const keys = { ...protocol.keys, ...options.keys };
  const heal: ReceiveOptions['heal'] = (gap) => snapshots.heal(gap);
  const validation = validationMode(options.validation);
  const latest = createLatestListeners((error) => handlerThrew(error, 'latest'));
  const receive = createReceive({
    protocol,
    emitter,
    registry,
    keys,
    resync: options.resync,
    resume: options.resume,
    freshness,
    heal,
    validation,
    latest,
  });
  const outbox = createOutbox(options.maxQueue ?? clientDefaults.maxQueue);
  const transport = options.transport ?? webSocketTransport({ WebSocket: options.WebSocket });
  const heartbeat = heartbeatTiming(
    protocol,
    options.heartbeat,
    options.probeTimeoutMs ?? clientDefaults.probeTimeoutMs,
  );
  const tokens = createTokenSource(options.auth);
  const snapshots = createSnapshots({
    protocol: { ...protocol, keys } as Protocol,
    registry,
    receive,
    emitter,
    source: options.snapshot,
    baseUrl: options.fallback?.url || httpOrigin(urls[0] ?? ''),
    tokens,
  });
  const endpoints = createEndpoints({
    protocol,
    urls,
    transport,
    hasWebSocket: options.transport !== undefined || resolveWebSocket(options.WebSocket) !== undefined,
    connection: {
      protocol,
      reconnect: options.reconnect === false ? false : resolveReconnect(options.reconnect),
      connectTimeoutMs: options.connectTimeoutMs ?? clientDefaults.connectTimeoutMs,
      heartbeat,
      // The server's interval replaces the protocol default, never an interval the user chose.
      fixedInterval: !!(options.heartbeat && options.heartbeat.intervalMs !== undefined),
      tokens,
      random: options.random ?? Math.random,
      isHidden: pageHidden,
      isOffline: browserOffline,
      maxMessageBytes: options.maxMessageBytes ?? clientDefaults.maxMessageBytes,
    },
    registry,
    receive,
    outbox,
    fallback: options.fallback,
    probeTimeoutMs: options.probeTimeoutMs ?? clientDefaults.probeTimeoutMs,
  });
  let closing: Promise<void> | undefined;

  const update = (): void => {
    if (closing) return;
    machine.move(endpoints.state());
    freshness.connection(machine.status.state);
  };
  endpoints.on('changed', update);
  endpoints.on('down', (error) => {
    counts.reconnects++;
    machine.noteError(error);
  });
  endpoints.on('stopped', (error) => {
    machine.noteError(error);
    emitError(error);
    void client.close();
  });
  endpoints.on('items', (items, raw, polled, handled) => receive.items(items, raw, polled, handled));
  endpoints.on('refused', (error) => {
    receive.counters.serverErrors++;
    emitError(error);
  });
  endpoints.on('rtt', (ms) => (counts.rttMs = ms));
  registry.on('removed', (wire) => {
    if (!registry.hasChannel(wire.channel)) receive.forget(wire.channel);
  });

  const client: Client<E> = {
    protocol,
    get state() {
      return machine.status.state;
    },
    get error() {
      return machine.status.error;
    },

    on<K extends keyof ClientEvents<E>>(event: K, handler: ClientEvents<E>[K]): () => void {
      if (options.lazy && event !== 'state' && event !== 'error') client.connect();
      return emitter.on(event, handler);
    },

    subscribe(
      channel: string,
      params: SubscriptionParams = {},
      subscribeOptions: SubscribeOptions = {},
    ): Subscription<E> {
      const handle = registry.acquire<E>(channel, params);
      if (closing) {
        handle.unsubscribe();
        return handle;
      }
      if (subscribeOptions.staleAfterMs !== undefined) freshness.setStaleAfter(channel, subscribeOptions.staleAfterMs);
      if (subscribeOptions.snapshot) {
        const wire = registry.forChannel(channel)?.find((w) => w.handles.has(handle));
        if (wire) snapshots.want(wire);
      }
      client.connect();
      return handle;
    },

    freshness(type: string, key?: string): Freshness {
      return freshness.freshness(type, key);
    },

    latest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined {
      return receive.latest(type, key) as EventPayload<E, K> | undefined;
    },

    onLatest: (type, key, listener) => latest.listen(type, key, listener),

    stats(): ClientStats {
      const c = receive.counters;
      return {
        state: machine.status.state,
        transport: endpoints.polling ? 'polling' : transport.kind,
        frames: c.frames,
        received: c.received,
        invalid: c.invalid,
        unknown: c.unknown,
        protocol: c.protocol,
        duplicates: c.duplicates,
        handlerErrors: counts.handlerErrors,
        serverErrors: c.serverErrors,
        reconnects: counts.reconnects,
        dropped: counts.dropped,
        queued: outbox.size,
        rttMs: counts.rttMs,
        byType: receive.byType(),
        validation,
        freshness: freshness.stats(),
      };
    },

    send(message: string | object, sendOptions: { channel?: string } = {}): boolean {
      if (closing) return false;
      const frame = typeof message === 'string' ? message : JSON.stringify(message);
      if (endpoints.send(sendOptions.channel ?? '', frame)) return true;
      counts.dropped++;
      emitError(
        new DashwireError('queue_full', 'Outgoing queue is full; message dropped', { details: { size: outbox.size } }),
      );
      return false;
    },

    connect(): void {
      if (closing) return;
      endpoints.start();
      update();
    },

    usePolling(): void {
      if (closing) return;
      if (!endpoints.usePolling())
        emitError(new DashwireError('no_websocket', 'usePolling() needs the `fallback` option'));
    },

    close(): Promise<void> {
      if (closing) return closing;
      let release!: () => void;
      closing = new Promise<void>((resolve) => (release = resolve));
      // Everything below sees `closing` set: nothing it triggers can reconnect or subscribe.
      registry.closeAll(new DashwireError('client_closed', 'Client closed'));
      outbox.clear();
      const closed = endpoints.close();
      snapshots.close();
      machine.move('closed');
      freshness.connection('closed');
      freshness.close();
      void closed.then(() => {
        emitter.clear();
        release();
      });
      return closing;
    },
  };

  if (!options.lazy) queueMicrotask(() => client.connect());
  return client;
}
