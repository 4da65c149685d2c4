import { DashwireError } from '../errors.js';
import type { EventCatalog, EventName, EventPayload } from '../events.js';
import { framePolling } from '../protocol/frame-polling.js';
import { native } from '../protocol/native.js';
import type { Inbound, PollChannel, Protocol, SubscriptionParams } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import { pollingTransport } from '../transport/polling.js';
import { resolveWebSocket, webSocketTransport } from '../transport/websocket.js';
import { resolveReconnect } from './backoff.js';
import { SafeEmitter } from './emitter.js';
import { createPipeline, type PipelineHost } from './inbound.js';
import type { HeartbeatTiming } from './heartbeat.js';
import { createLink, type Link, type LinkHost } from './link.js';
import { clientDefaults, type ClientOptions } from './options.js';
import { createRegistry, type WireSubscription } from './subscriptions.js';
import type { Client, ClientEvents, ClientStats, ConnectionState, Subscription } from './types.js';
import type { DashboardEvents } from '../protocol/dashboard-catalog.js';
import { checkUrls, httpOrigin, pageHidden, watchPage } from './environment.js';
import { createFallback, type Fallback } from './fallback.js';
import { createOutbox } from './outbox.js';
import { canTransition, reportTransition, type ConnectionStatus } from './state.js';
import { createTokenSource } from './token.js';
import { createSharedClient } from '../share/shared-client.js';

/** Shortest heartbeat interval a server's `welcome` may impose, in ms. */
const minServerHeartbeatMs = 1_000;

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
export function createClient(options: ClientOptions<DashboardEvents> & { protocol?: undefined }): Client<DashboardEvents>;
export function createClient<E extends EventCatalog>(options: ClientOptions<E> & { protocol: Protocol<E> }): Client<E>;
export function createClient<E extends EventCatalog>(options: ClientOptions<E>): Client<E> {
  if (options.share) return createSharedClient(options);
  // The client's state lives in this closure (not in class fields): the links, the registry,
  // the pipeline and the fallback are the units; this function only wires them together.
  const protocol = (options.protocol ?? native()) as Protocol<E>;
  const urls = options.urls ?? (options.url !== undefined ? [options.url] : []);
  const firstUrl = urls[0] ?? '';
  const fallbackOptions = options.fallback;
  const requireSecure = options.requireSecure ?? false;
  checkUrls(urls, requireSecure, options.transport !== undefined);
  // The polling fallback's URL too: requireSecure must not be bypassed by falling back.
  const pollingUrl = fallbackOptions?.polling?.url;
  if (pollingUrl !== undefined) checkUrls([pollingUrl], requireSecure);
  const multiEndpoint = typeof protocol.endpointFor === 'function';
  const maxMessageBytes = options.maxMessageBytes ?? clientDefaults.maxMessageBytes;
  const hb = options.heartbeat === false ? undefined : { ...protocol.heartbeat, ...options.heartbeat };
  const heartbeat: HeartbeatTiming | false = hb
    ? { intervalMs: hb.intervalMs, timeoutMs: hb.timeoutMs, hiddenTimeoutMs: hb.hiddenTimeoutMs ?? hb.timeoutMs * clientDefaults.hiddenTimeoutFactor }
    : false;
  const random = options.random ?? Math.random;

  let status: ConnectionStatus = { state: 'idle' };
  /** The fallback is swapping which links serve: the state is computed once, after the swap. */
  let swapping = false;
  const links = new Map<string, Link>();
  /** The REST polling connection, while the fallback serves the feed. */
  let pollLink: Link | undefined;
  let started = false;
  let stopping = false;
  let closing: Promise<void> | undefined;
  let nextId = 1;
  let handlerErrors = 0;
  let serverErrors = 0;
  let reconnects = 0;
  let dropped = 0;
  let rttMs: number | undefined;
  let detachPage: (() => void) | undefined;
  /** Why the client last left `open` or stopped: carried by `reconnecting` and `closed`. */
  let lastError: DashwireError | undefined;

  const outbox = createOutbox(options.maxQueue ?? clientDefaults.maxQueue);
  const tokens = createTokenSource(options.auth);
  const emitError = (error: DashwireError): void => emitter.emit('error', error);
  const handlerThrew = (error: unknown, event: string): void => {
    handlerErrors++;
    if (event === 'error') return; // an error handler that throws must not recurse
    emitError(new DashwireError('handler_threw', `A handler for "${event}" threw`, { cause: error, details: { event } }));
  };
  const emitter = new SafeEmitter(handlerThrew);
  const registry = createRegistry({
    added: wireAdded,
    removed: wireRemoved,
    handlerError: handlerThrew,
    unsubscribeDelayMs: options.unsubscribeDelayMs ?? clientDefaults.unsubscribeDelayMs,
  });
  const pipeline = createPipeline({
    protocol,
    emitter,
    registry,
    keys: { ...protocol.keys, ...options.keys } as PipelineHost['keys'],
    maxMessageBytes,
    resync: options.resync,
    control: (item, link) => control(item, link as Link | undefined),
  });
  const lastSeq = pipeline.lastSeq;
  for (const [channel, seq] of Object.entries(options.resume ?? {})) lastSeq.set(channel, seq);
  const wsTransport = options.transport ?? webSocketTransport({ WebSocket: options.WebSocket });

  const host: LinkHost = {
    protocol,
    reconnect: options.reconnect === false ? false : resolveReconnect(options.reconnect),
    connectTimeoutMs: options.connectTimeoutMs ?? clientDefaults.connectTimeoutMs,
    random,
    transport: (link) => (link === pollLink && pollTransport ? pollTransport : wsTransport),
    heartbeatFor: (link) => (link === pollLink ? false : heartbeat),
    channels: (link) => {
      const out: PollChannel[] = [];
      for (const { channel, params } of wiresOn(link)) {
        const since = lastSeq.get(channel);
        out.push(since === undefined ? { channel, params } : { channel, params, since });
      }
      return out;
    },
    token: (reason, refusedGeneration) => tokens.get(reason, refusedGeneration),
    /** Completed token refreshes (see {@link LinkHost.tokenGeneration}). */
    get tokenGeneration() {
      return tokens.generation;
    },
    isHidden: pageHidden,
    opened(link) {
      subscribeAll(link, link.managesChannels);
      outbox.flush(link);
      updateState();
    },
    frame: (link, frame) => pipeline.frame(frame, link),
    inbound: (link, items, raw) => pipeline.items(items, raw, link),
    down(link, error, retryInMs) {
      const everyChannel = link === pollLink;
      for (const wire of wiresOn(link)) {
        registry.clearPending(wire);
        if (wire.state === 'subscribed') wire.setState('pending');
      }
      if (retryInMs === undefined) {
        if (!everyChannel && fallback?.takeOver(error)) return;
        void stopWith(error);
        return;
      }
      reconnects++;
      if (!everyChannel && fallback?.noteFailure(link.failures)) return;
      updateState(error);
    },
    changed: () => updateState(),
  };

  let fallback: Fallback | undefined;
  let pollTransport: Transport | undefined;
  if (fallbackOptions) {
    const hasWebSocket = options.transport !== undefined || resolveWebSocket(options.WebSocket) !== undefined;
    fallback = createFallback(
      fallbackOptions,
      {
        protocol,
        random,
        probeTransport: () => wsTransport,
        probeUrl: () => firstUrl,
        token: () => tokens.get('connect'),
        enterPolling() {
          swapping = true;
          for (const link of links.values()) link.stop();
          links.clear();
          // Base URL of the REST endpoints: the option, else the WebSocket URL's origin over http(s).
          const url = pollingUrl || httpOrigin(firstUrl);
          pollLink = createLink(url, [url], host);
          pollLink.connect();
          swapping = false;
          updateState();
        },
        leavePolling() {
          swapping = true;
          const link = pollLink;
          pollLink = undefined;
          link?.stop();
          for (const wire of registry.all()) if (wire.state === 'subscribed') wire.setState('pending');
          startLinks();
          swapping = false;
          updateState();
        },
      },
      hasWebSocket,
    );
    const polling = fallbackOptions.polling;
    const urlFor = polling?.urlFor;
    // Protocols without REST endpoints of their own poll snapshots of their WebSocket frames.
    const spec = urlFor || !protocol.polling ? framePolling(protocol, polling?.intervalMs ?? 5_000, urlFor) : undefined;
    pollTransport = pollingTransport({ intervalMs: polling?.intervalMs, fetch: fallbackOptions.fetch, headers: fallbackOptions.headers, spec, maxMessageBytes });
  }

  function endpointOf(wire: { channel: string; params: SubscriptionParams }): string {
    return multiEndpoint && wire.channel ? protocol.endpointFor!(firstUrl, wire.channel, wire.params) : firstUrl;
  }

  /** The wire subscriptions a link serves: all of them on the polling link, else those of its endpoint. */
  function* wiresOn(link: Link): Generator<WireSubscription> {
    // Iterates the registry live (not a copy): a wire released by a handler meanwhile is skipped.
    for (const wire of registry.all()) if (link === pollLink || endpointOf(wire) === link.endpoint) yield wire;
  }

  function ensureLink(endpoint: string): Link {
    let link = links.get(endpoint);
    if (!link) {
      link = createLink(endpoint, multiEndpoint ? [endpoint] : urls, host);
      links.set(endpoint, link);
    }
    if (started && !stopping && !pollLink) link.connect();
    return link;
  }

  function wireAdded(wire: WireSubscription): void {
    if (!started || stopping) return;
    if (pollLink) {
      if (pollLink.isOpen) wire.setState('subscribed');
      return;
    }
    const link = ensureLink(endpointOf(wire));
    if (link.isOpen) subscribeOne(link, wire);
    updateState();
  }

  function wireRemoved(wire: WireSubscription): void {
    registry.clearPending(wire);
    if (!registry.hasChannel(wire.channel)) pipeline.forgetChannel(wire.channel);
    if (stopping || pollLink) return;
    const endpoint = endpointOf(wire);
    const link = links.get(endpoint);
    if (!link) return;
    if (link.isOpen) {
      const frame = protocol.encodeUnsubscribe({ id: nextId++, channel: wire.channel, params: wire.params });
      if (frame) link.send(frame);
      // A server that ends the whole channel on unsubscribe (native 1.0) has just ended the
      // siblings too: subscribe them again, resuming with `since`, so none goes silent.
      if (frame && protocol.unsubscribeEndsChannel?.(link.serverVersion)) {
        for (const sibling of registry.forChannel(wire.channel) ?? []) {
          if (endpointOf(sibling) === endpoint && sibling.state !== 'error') subscribeOne(link, sibling, false, true);
        }
      }
    }
    // Multi-endpoint: the last wire of this endpoint is gone, so is its socket.
    if (multiEndpoint && wiresOn(link).next().done) {
      links.delete(endpoint);
      void link.close();
      updateState();
    }
  }

  function subscribeAll(link: Link, managed: boolean): void {
    for (const wire of wiresOn(link)) subscribeOne(link, wire, managed);
  }

  function startLinks(): void {
    if (!multiEndpoint) ensureLink(firstUrl);
    for (const wire of registry.all()) ensureLink(endpointOf(wire));
  }

  /** `renew`: the wire is live and only re-sent (a 1.0 server ended it); its state stays as it is. */
  function subscribeOne(link: Link, wire: WireSubscription, managed = false, renew = false): void {
    if (managed) return wire.setState('subscribed');
    const id = nextId++;
    const { channel, params } = wire;
    const since = protocol.resumable ? lastSeq.get(channel) : undefined;
    const frame = protocol.encodeSubscribe(since === undefined ? { id, channel, params } : { id, channel, params, since });
    if (frame === null) return wire.setState('subscribed');
    if (wire.state !== 'pending' && !renew) wire.setState('pending');
    if (protocol.acks) registry.awaitAck(wire, id);
    link.send(frame);
    if (!protocol.acks) wire.setState('subscribed');
  }

  function control(item: Exclude<Inbound, { kind: 'event' } | { kind: 'malformed' }>, link: Link | undefined): void {
    switch (item.kind) {
      case 'welcome':
        if (link) link.serverVersion = item.version;
        // The server's interval replaces the protocol default, never an interval the user chose.
        if (item.heartbeatMs !== undefined && !(options.heartbeat && options.heartbeat.intervalMs !== undefined)) {
          // Floored: a server announcing heartbeatMs: 1 would have us ping it a thousand times a second.
          link?.setHeartbeatInterval(Math.max(minServerHeartbeatMs, item.heartbeatMs));
        }
        return;
      case 'pong': {
        const sentAt = item.id === undefined ? link?.pings.values().next().value : link?.pings.get(item.id);
        if (sentAt !== undefined) rttMs = Date.now() - sentAt;
        return;
      }
      case 'ack': {
        const channel = item.channel;
        if (channel !== undefined && item.seq !== undefined && protocol.resumable && registry.hasChannel(channel)) {
          if (!lastSeq.has(channel)) lastSeq.set(channel, item.seq);
          else if (item.recovered === false) pipeline.missed(channel, item.seq);
        }
        registry.takePending(item.id, channel)?.setState('subscribed');
        return;
      }
      case 'error': {
        serverErrors++;
        const { code, channel, id, message } = item;
        const details = { code, channel, id };
        if (item.retryAfterMs !== undefined && link) link.retryAfter(item.retryAfterMs);
        if (protocol.authFailure?.errorCodes?.includes(code) && link) {
          emitError(new DashwireError('auth_failed', message || 'Unauthorized', { details }));
          link.authRefused();
          return;
        }
        const wire = registry.takePending(id, channel);
        // Polling confirms subscriptions at open; a channel refused in a poll body ends them there.
        const refused = wire ? [wire] : id === undefined && channel !== undefined && link?.managesChannels ? (registry.forChannel(channel) ?? []) : [];
        for (const w of refused) w.setState('error', new DashwireError('subscribe_failed', message || `Subscription to "${w.channel}" refused`, { details }));
        emitError(new DashwireError('server_error', message || code, { details }));
        return;
      }
    }
  }

  function start(): void {
    started = true;
    const probeTimeout = options.probeTimeoutMs ?? clientDefaults.probeTimeoutMs;
    const probe = (): void => {
      for (const link of links.values()) link.probe(probeTimeout);
    };
    detachPage ??= watchPage({
      probe,
      online: () => {
        for (const link of links.values()) link.retryNow();
        probe();
      },
    });
  }

  async function stopWith(error: DashwireError): Promise<void> {
    lastError = error;
    emitError(error);
    await client.close();
  }

  function updateState(error?: DashwireError): void {
    if (status.state === 'closed' || stopping || swapping) return;
    if (error) lastError = error;
    setState(computeState());
  }

  function computeState(): ConnectionState {
    // While polling, the polling link alone decides.
    const all = pollLink ? [pollLink] : [...links.values()];
    if (!pollLink && (!started || all.length === 0)) return 'idle';
    const down = all.filter((link) => !link.isOpen);
    if (down.length === 0) return pollLink ? 'polling' : 'open';
    // Only links that are not open decide: a first connect next to an open link is still "connecting".
    return down.some((link) => link.everOpened || link.attempts > 0) ? 'reconnecting' : 'connecting';
  }

  /**
   * The only place the connection state changes, and only along `connectionTransitions`: a move
   * outside the table is refused (and reported to debug observers), never taken.
   */
  function setState(next: ConnectionState): void {
    const previous = status.state;
    if (previous === next) return;
    const allowed = canTransition(previous, next);
    reportTransition({ from: previous, to: next, allowed, error: lastError });
    if (!allowed) return;
    if (next === 'reconnecting') {
      status = { state: next, error: lastError ?? new DashwireError('connection_lost', 'Connection lost') };
    } else if (next === 'closed') {
      status = { state: next, error: lastError };
    } else {
      // Open (or polling) again: the last drop is history; a later one brings its own error.
      if (next === 'open' || next === 'polling') lastError = undefined;
      status = { state: next };
    }
    emitter.emit('state', status.error ? { previous, current: next, error: status.error } : { previous, current: next });
  }

  const client: Client<E> = {
    protocol,
    get state() {
      return status.state;
    },
    get error() {
      return status.error;
    },

    on<K extends keyof ClientEvents<E>>(event: K, handler: ClientEvents<E>[K]): () => void {
      if (options.lazy && event !== 'state' && event !== 'error') client.connect();
      return emitter.on(event as string, handler as (...args: never[]) => void);
    },

    subscribe(channel: string, params: SubscriptionParams = {}): Subscription<E> {
      const handle = registry.acquire<E>(channel, params);
      if (status.state === 'closed') handle.unsubscribe();
      else client.connect();
      return handle;
    },

    latest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined {
      return pipeline.latest(type, key) as EventPayload<E, K> | undefined;
    },

    stats(): ClientStats {
      const c = pipeline.counters;
      return {
        state: status.state,
        transport: pollLink ? 'polling' : wsTransport.kind,
        frames: c.frames,
        received: c.received,
        invalid: c.invalid,
        unknown: c.unknown,
        protocol: c.protocol,
        duplicates: c.duplicates,
        handlerErrors,
        serverErrors,
        reconnects,
        dropped,
        rttMs,
        byType: pipeline.byType(),
      };
    },

    send(message: string | object, sendOptions: { channel?: string } = {}): boolean {
      if (status.state === 'closed') return false;
      const frame = typeof message === 'string' ? message : JSON.stringify(message);
      const endpoint = endpointOf({ channel: sendOptions.channel ?? '', params: {} });
      const link = links.get(endpoint);
      if (link?.isOpen && !pollLink && outbox.size === 0) return link.send(frame);
      if (outbox.push(endpoint, frame)) return true;
      dropped++;
      emitError(new DashwireError('queue_full', 'Outgoing queue is full; message dropped', { details: { size: outbox.size } }));
      return false;
    },

    connect(): void {
      if (started || stopping) return;
      start();
      if (fallback?.shouldStartPolling()) return fallback.enter('no_websocket');
      startLinks();
      updateState();
    },

    usePolling(): void {
      if (!fallback) return emitError(new DashwireError('no_websocket', 'usePolling() needs the `fallback` option'));
      if (stopping) return;
      if (!started) start();
      fallback.enter('requested');
    },

    close(): Promise<void> {
      if (closing) return closing;
      const error = new DashwireError('client_closed', 'Client closed');
      // Set before anything below runs: stopping links reports state changes, which must see it.
      stopping = true;
      closing = (async () => {
        detachPage?.();
        detachPage = undefined;
        registry.closeAll(error);
        outbox.clear();
        fallback?.close();
        const closed = [...links.values(), ...(pollLink ? [pollLink] : [])].map((link) => link.close());
        links.clear();
        setState('closed');
        await Promise.all(closed);
        emitter.clear();
      })();
      return closing;
    },
  };

  if (!options.lazy) queueMicrotask(() => client.connect());
  return client;
}
