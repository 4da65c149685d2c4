import { DashwireError } from '../errors.js';
import type { EventCatalog, EventName, EventPayload } from '../events.js';
import type { DashboardEvents } from '../protocol/dashboard-catalog.js';
import { native } from '../protocol/native.js';
import type { Protocol, SubscriptionParams } from '../protocol/types.js';
import { SafeEmitter } from './emitter.js';
import { createEndpoints } from './endpoints.js';
import { createFreshness } from './freshness.js';
import { createSnapshots } from './snapshot.js';
import type { ClientOptions } from './options.js';
import { createOutbox } from './outbox.js';
import { createReceive } from './receive.js';
import { resolveOptions } from './resolve-options.js';
import { StateMachine } from './state.js';
import { createRegistry } from './subscriptions.js';
import { createLatestListeners } from './latest.js';
import type { Client, ClientEvents, SubscribeOptions, Subscription } from './types.js';

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
  const settings = resolveOptions(options, protocol);
  /** The counters `stats()` reports beside the receive path's. */
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
    unsubscribeDelayMs: settings.unsubscribeDelayMs,
  });
  const freshness = createFreshness({ emitter, staleAfterMs: options.staleAfterMs });
  const latest = createLatestListeners((error) => handlerThrew(error, 'latest'));
  const receive = createReceive({
    ...settings.receive,
    emitter,
    registry,
    freshness,
    latest,
    heal: (gap) => snapshots.heal(gap),
  });
  const snapshots = createSnapshots({ ...settings.snapshots, registry, receive, emitter });
  const outbox = createOutbox(settings.maxQueue);
  const endpoints = createEndpoints({ ...settings.endpoints, registry, receive, outbox });
  /** Closed is final: nothing the teardown triggers may move the state or connect again. */
  const closed = (): boolean => machine.status.state === 'closed';

  const update = (): void => {
    if (closed()) return;
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
      if (closed()) {
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

    freshness: (type, key) => freshness.freshness(type, key),

    latest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined {
      return receive.latest(type, key) as EventPayload<E, K> | undefined;
    },

    onLatest: (type, key, listener) => latest.listen(type, key, listener),

    stats: () => ({
      state: machine.status.state,
      transport: endpoints.polling ? 'polling' : settings.transport.kind,
      // The receive path's counters (frames, received, invalid…), then the client's own.
      ...receive.counters,
      ...counts,
      queued: outbox.size,
      byType: receive.byType(),
      validation: settings.validation,
      freshness: freshness.stats(),
    }),

    send(message: string | object, sendOptions: { channel?: string } = {}): boolean {
      if (closed()) return false;
      const frame = typeof message === 'string' ? message : JSON.stringify(message);
      if (endpoints.send(sendOptions.channel ?? '', frame)) return true;
      counts.dropped++;
      emitError(
        new DashwireError('queue_full', 'Outgoing queue is full; message dropped', { details: { size: outbox.size } }),
      );
      return false;
    },

    connect(): void {
      if (closed()) return;
      endpoints.start();
      update();
    },

    usePolling(): void {
      if (closed()) return;
      if (!endpoints.usePolling())
        emitError(new DashwireError('no_websocket', 'usePolling() needs the `fallback` option'));
    },

    close(): Promise<void> {
      const status = machine.status;
      if (status.state === 'closed') return status.drained;
      let release!: () => void;
      const drained = new Promise<void>((resolve) => (release = resolve));
      // The sockets first (silently: they report nothing more), so that what the app's handlers
      // do from here on cannot reach the network; then the state, which every call checks.
      const socketsClosed = endpoints.close();
      machine.move('closed', drained);
      registry.closeAll(new DashwireError('client_closed', 'Client closed'));
      outbox.clear();
      snapshots.close();
      freshness.connection('closed');
      freshness.close();
      void socketsClosed.then(() => {
        emitter.clear();
        release();
      });
      return drained;
    },
  };

  if (!options.lazy) queueMicrotask(() => client.connect());
  return client;
}
