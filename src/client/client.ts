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
import { InboundPipeline, type PipelineHost } from './inbound.js';
import type { HeartbeatTiming } from './heartbeat.js';
import { Link, type LinkHost } from './link.js';
import { clientDefaults, type ClientOptions } from './options.js';
import { SubscriptionRegistry, type WireSubscription } from './subscriptions.js';
import type { Client, ClientEvents, ClientStats, ConnectionState, Subscription } from './types.js';
import type { DashboardEvents } from '../protocol/dashboard-catalog.js';
import { checkUrls, httpOrigin, pageHidden, watchPage } from './environment.js';
import { FallbackController, type FallbackHost } from './fallback.js';
import { Outbox } from './outbox.js';
import { TokenSource } from './token.js';

/** Shortest heartbeat interval a server's `welcome` may impose, in ms. */
const minServerHeartbeatMs = 1_000;

const transitions: Record<ConnectionState, readonly ConnectionState[]> = {
  idle: ['connecting', 'reconnecting', 'open', 'polling', 'closed'],
  connecting: ['open', 'reconnecting', 'polling', 'closed', 'idle'],
  open: ['reconnecting', 'connecting', 'polling', 'closed', 'idle'],
  reconnecting: ['open', 'connecting', 'polling', 'closed', 'idle'],
  polling: ['open', 'reconnecting', 'connecting', 'closed'],
  closed: [],
};

class FeedClient<E extends EventCatalog> implements Client<E>, LinkHost {
  readonly protocol: Protocol<E>;
  readonly reconnect;
  private readonly heartbeat: HeartbeatTiming | false;
  readonly random: () => number;
  private status: { state: ConnectionState; error: DashwireError | undefined } = { state: 'idle', error: undefined };
  private readonly emitter: SafeEmitter;
  private readonly registry: SubscriptionRegistry;
  private readonly pipeline: InboundPipeline;
  private readonly links = new Map<string, Link>();
  private readonly outbox: Outbox;
  private readonly wsTransport: Transport;
  private readonly fallback: FallbackController | undefined;
  private readonly pollTransport: Transport | undefined;
  /** The REST polling connection, while the fallback serves the feed. */
  private pollLink: Link | undefined;
  private readonly urls: readonly string[];
  private readonly multiEndpoint: boolean;
  private started = false;
  private stopping = false;
  private closing: Promise<void> | undefined;
  private nextId = 1;
  private handlerErrors = 0;
  private serverErrors = 0;
  private reconnects = 0;
  private dropped = 0;
  private rttMs: number | undefined;
  private readonly tokens: TokenSource;
  private detachPage: (() => void) | undefined;

  constructor(private readonly options: ClientOptions<E>) {
    this.protocol = (options.protocol ?? native()) as Protocol<E>;
    this.urls = options.urls ?? (options.url !== undefined ? [options.url] : []);
    // The polling fallback's URL too: requireSecure must not be bypassed by falling back.
    const pollingUrl = options.fallback?.polling?.url;
    checkUrls(this.urls, options.requireSecure ?? false);
    if (pollingUrl !== undefined) checkUrls([pollingUrl], options.requireSecure ?? false);
    this.multiEndpoint = typeof this.protocol.endpointFor === 'function';
    this.reconnect = options.reconnect === false ? (false as const) : resolveReconnect(options.reconnect);
    const hb = options.heartbeat === false ? undefined : { ...this.protocol.heartbeat, ...options.heartbeat };
    this.heartbeat = hb
      ? { intervalMs: hb.intervalMs, timeoutMs: hb.timeoutMs, hiddenTimeoutMs: hb.hiddenTimeoutMs ?? hb.timeoutMs * clientDefaults.hiddenTimeoutFactor }
      : (false as const);
    this.random = options.random ?? Math.random;
    this.outbox = new Outbox(options.maxQueue ?? clientDefaults.maxQueue);
    this.tokens = new TokenSource(options.auth);
    this.emitter = new SafeEmitter((error, event) => this.handlerThrew(error, event));
    this.registry = new SubscriptionRegistry({
      added: (wire) => this.wireAdded(wire),
      removed: (wire) => this.wireRemoved(wire),
      handlerError: (error, event) => this.handlerThrew(error, event),
      unsubscribeDelayMs: options.unsubscribeDelayMs ?? clientDefaults.unsubscribeDelayMs,
    });
    this.pipeline = new InboundPipeline({
      protocol: this.protocol,
      emitter: this.emitter,
      registry: this.registry,
      keys: { ...this.protocol.keys, ...options.keys } as PipelineHost['keys'],
      maxMessageBytes: options.maxMessageBytes ?? clientDefaults.maxMessageBytes,
      resync: options.resync,
      control: (item, link) => this.control(item, link as Link),
    });
    this.wsTransport = options.transport ?? webSocketTransport({ WebSocket: options.WebSocket });
    const fallback = options.fallback;
    if (fallback) {
      const hasWebSocket = options.transport !== undefined || resolveWebSocket(options.WebSocket) !== undefined;
      this.fallback = new FallbackController(fallback, this.fallbackHost(), hasWebSocket);
      const urlFor = fallback.polling?.urlFor;
      // Protocols without REST endpoints of their own poll snapshots of their WebSocket frames.
      const spec = urlFor || !this.protocol.polling ? framePolling(this.protocol, fallback.polling?.intervalMs ?? 5_000, urlFor) : undefined;
      this.pollTransport = pollingTransport({
        intervalMs: fallback.polling?.intervalMs,
        fetch: fallback.fetch,
        headers: fallback.headers,
        spec,
        maxMessageBytes: options.maxMessageBytes ?? clientDefaults.maxMessageBytes,
      });
    }
    if (!options.lazy) queueMicrotask(() => this.connect());
  }

  get state(): ConnectionState {
    return this.status.state;
  }
  get error(): DashwireError | undefined {
    return this.status.error;
  }

  // ── public API ────────────────────────────────────────────────────────

  on<K extends keyof ClientEvents<E>>(event: K, handler: ClientEvents<E>[K]): () => void {
    if (this.options.lazy && event !== 'state' && event !== 'error') this.connect();
    return this.emitter.on(event as string, handler as (...args: never[]) => void);
  }

  subscribe(channel: string, params: SubscriptionParams = {}): Subscription<E> {
    const handle = this.registry.acquire<E>(channel, params);
    if (this.status.state === 'closed') handle.unsubscribe();
    else this.connect();
    return handle;
  }

  latest<K extends EventName<E>>(type: K, key?: string): EventPayload<E, K> | undefined {
    return this.pipeline.latest(type, key) as EventPayload<E, K> | undefined;
  }

  stats(): ClientStats {
    const c = this.pipeline.counters;
    return {
      state: this.status.state,
      transport: this.pollLink ? 'polling' : this.wsTransport.kind,
      frames: c.frames,
      received: c.received,
      invalid: c.invalid,
      unknown: c.unknown,
      duplicates: c.duplicates,
      handlerErrors: this.handlerErrors,
      serverErrors: this.serverErrors,
      reconnects: this.reconnects,
      dropped: this.dropped,
      rttMs: this.rttMs,
      byType: this.pipeline.byType(),
    };
  }

  send(message: string | object, options: { channel?: string } = {}): boolean {
    if (this.status.state === 'closed') return false;
    const frame = typeof message === 'string' ? message : JSON.stringify(message);
    const endpoint = this.endpointOf(options.channel ?? '', {});
    const link = this.links.get(endpoint);
    if (link?.isOpen && !this.pollLink && this.outbox.size === 0) return link.send(frame);
    if (this.outbox.push(endpoint, frame)) return true;
    this.dropped++;
    this.emitter.emit('error', new DashwireError('queue_full', 'Outgoing queue is full; message dropped', { details: { size: this.outbox.size } }));
    return false;
  }

  connect(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.listenToBrowser();
    if (this.fallback?.shouldStartPolling()) return this.fallback.enter('no_websocket');
    this.startLinks();
    this.updateState();
  }

  usePolling(): void {
    if (!this.fallback) {
      this.emitter.emit('error', new DashwireError('no_websocket', 'usePolling() needs the `fallback` option'));
      return;
    }
    if (this.stopping) return;
    if (!this.started) {
      this.started = true;
      this.listenToBrowser();
    }
    this.fallback.enter('requested');
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    const error = new DashwireError('client_closed', 'Client closed');
    // Set before anything below runs: stopping links reports state changes, which must see it.
    this.stopping = true;
    this.closing = (async () => {
      this.detachPage?.();
      this.detachPage = undefined;
      this.registry.closeAll(error);
      this.outbox.clear();
      this.fallback?.close();
      const closing = [...this.links.values(), ...(this.pollLink ? [this.pollLink] : [])].map((link) => link.close());
      this.links.clear();
      this.setState('closed', undefined);
      await Promise.all(closing);
      this.emitter.clear();
    })();
    return this.closing;
  }

  // ── LinkHost ──────────────────────────────────────────────────────────

  transport(link: Link): Transport {
    return link === this.pollLink && this.pollTransport ? this.pollTransport : this.wsTransport;
  }

  heartbeatFor(link: Link): HeartbeatTiming | false {
    return link === this.pollLink ? false : this.heartbeat;
  }

  channels(link: Link): readonly PollChannel[] {
    return this.channelsFor(link === this.pollLink ? undefined : link.endpoint);
  }

  token(reason: 'connect' | 'refresh', refusedGeneration?: number): Promise<string | undefined> {
    return this.tokens.get(reason, refusedGeneration);
  }

  /** Completed token refreshes (see {@link LinkHost.tokenGeneration}). */
  get tokenGeneration(): number {
    return this.tokens.generation;
  }

  isHidden(): boolean {
    return pageHidden();
  }

  opened(link: Link): void {
    this.subscribeAll(link, link.managesChannels);
    this.outbox.flush(link);
    this.updateState();
  }

  frame(link: Link, frame: string): void {
    this.pipeline.frame(frame, link);
  }

  inbound(link: Link, items: Inbound[], raw: string): void {
    this.pipeline.items(items, raw, link);
  }

  down(link: Link, error: DashwireError, retryInMs: number | undefined): void {
    const everyChannel = link === this.pollLink;
    for (const wire of this.registry.all()) {
      if (!everyChannel && this.endpointOf(wire.channel, wire.params) !== link.endpoint) continue;
      this.registry.clearPending(wire);
      if (wire.state === 'subscribed') wire.setState('pending');
    }
    if (retryInMs === undefined) {
      if (!everyChannel && this.fallback?.takeOver(error)) return;
      void this.stopWith(error);
      return;
    }
    this.reconnects++;
    this.status.error = error;
    if (!everyChannel && this.fallback?.noteFailure(link.failures)) return;
    this.updateState(error);
  }

  changed(): void {
    this.updateState();
  }

  // ── internals ─────────────────────────────────────────────────────────

  private endpointOf(channel: string, params: SubscriptionParams): string {
    const base = this.urls[0] ?? '';
    return this.multiEndpoint && channel ? this.protocol.endpointFor!(base, channel, params) : base;
  }

  private channelsFor(endpoint: string | undefined): PollChannel[] {
    const out: PollChannel[] = [];
    for (const wire of this.registry.all()) {
      if (endpoint !== undefined && this.endpointOf(wire.channel, wire.params) !== endpoint) continue;
      const since = this.pipeline.lastSeq.get(wire.channel);
      out.push(since === undefined ? { channel: wire.channel, params: wire.params } : { channel: wire.channel, params: wire.params, since });
    }
    return out;
  }

  private ensureLink(endpoint: string): Link {
    let link = this.links.get(endpoint);
    if (!link) {
      link = new Link(endpoint, this.multiEndpoint ? [endpoint] : this.urls, this);
      this.links.set(endpoint, link);
    }
    if (this.started && !this.stopping && !this.pollLink) link.connect();
    return link;
  }

  private wireAdded(wire: WireSubscription): void {
    if (!this.started || this.stopping) return;
    if (this.pollLink) {
      if (this.pollLink.isOpen) wire.setState('subscribed');
      return;
    }
    const link = this.ensureLink(this.endpointOf(wire.channel, wire.params));
    if (link.isOpen) this.subscribeOne(link, wire);
    this.updateState();
  }

  private wireRemoved(wire: WireSubscription): void {
    this.registry.clearPending(wire);
    if (!this.registry.hasChannel(wire.channel)) this.pipeline.forgetChannel(wire.channel);
    if (this.stopping || this.pollLink) return;
    const endpoint = this.endpointOf(wire.channel, wire.params);
    const link = this.links.get(endpoint);
    if (!link) return;
    if (link.isOpen) {
      const frame = this.protocol.encodeUnsubscribe({ id: this.nextId++, channel: wire.channel, params: wire.params });
      if (frame) link.send(frame);
    }
    if (this.multiEndpoint && this.channelsFor(endpoint).length === 0) {
      this.links.delete(endpoint);
      void link.close();
      this.updateState();
    }
  }

  private subscribeAll(link: Link, managed: boolean): void {
    const everyChannel = link === this.pollLink;
    for (const wire of this.registry.all()) {
      if (everyChannel || this.endpointOf(wire.channel, wire.params) === link.endpoint) this.subscribeOne(link, wire, managed);
    }
  }

  private startLinks(): void {
    if (!this.multiEndpoint) this.ensureLink(this.urls[0] ?? '');
    for (const wire of this.registry.all()) this.ensureLink(this.endpointOf(wire.channel, wire.params));
  }

  /** Base URL of the REST endpoints: the option, else the WebSocket URL's origin over http(s). */
  private pollUrl(): string {
    return this.options.fallback?.polling?.url || httpOrigin(this.urls[0] ?? '');
  }

  private subscribeOne(link: Link, wire: WireSubscription, managed = false): void {
    if (managed) return wire.setState('subscribed');
    const id = this.nextId++;
    const since = this.protocol.resumable ? this.pipeline.lastSeq.get(wire.channel) : undefined;
    const frame = this.protocol.encodeSubscribe(since === undefined ? { id, channel: wire.channel, params: wire.params } : { id, channel: wire.channel, params: wire.params, since });
    if (frame === null) return wire.setState('subscribed');
    if (wire.state !== 'pending') wire.setState('pending');
    if (this.protocol.acks) {
      this.registry.awaitAck(wire, id);
    }
    link.send(frame);
    if (!this.protocol.acks) wire.setState('subscribed');
  }

  private control(item: Exclude<Inbound, { kind: 'event' } | { kind: 'malformed' }>, link: Link | undefined): void {
    switch (item.kind) {
      case 'welcome':
        // The server's interval replaces the protocol default, never an interval the user chose.
        if (item.heartbeatMs !== undefined && !(this.options.heartbeat && this.options.heartbeat.intervalMs !== undefined)) {
          // Floored: a server announcing heartbeatMs: 1 would have us ping it a thousand times a second.
          link?.setHeartbeatInterval(Math.max(minServerHeartbeatMs, item.heartbeatMs));
        }
        return;
      case 'pong': {
        const sentAt = item.id === undefined ? link?.pings.values().next().value : link?.pings.get(item.id);
        if (sentAt !== undefined) this.rttMs = Date.now() - sentAt;
        return;
      }
      case 'ack': {
        const channel = item.channel;
        if (channel !== undefined && item.seq !== undefined && this.protocol.resumable && this.registry.hasChannel(channel)) {
          if (!this.pipeline.lastSeq.has(channel)) this.pipeline.lastSeq.set(channel, item.seq);
          else if (item.recovered === false) this.pipeline.missed(channel, item.seq);
        }
        this.registry.takePending(item.id, item.channel)?.setState('subscribed');
        return;
      }
      case 'error': {
        this.serverErrors++;
        const details = { code: item.code, channel: item.channel, id: item.id };
        if (item.retryAfterMs !== undefined && link) link.retryAfterMs = item.retryAfterMs;
        if (this.protocol.authFailure?.errorCodes?.includes(item.code) && link) {
          this.emitter.emit('error', new DashwireError('auth_failed', item.message || 'Unauthorized', { details }));
          link.authRefused();
          return;
        }
        const wire = this.registry.takePending(item.id, item.channel);
        wire?.setState('error', new DashwireError('subscribe_failed', item.message || `Subscription to "${wire.channel}" refused`, { details }));
        this.emitter.emit('error', new DashwireError('server_error', item.message || item.code, { details }));
        return;
      }
    }
  }

  private handlerThrew(error: unknown, event: string): void {
    this.handlerErrors++;
    if (event === 'error') return; // an error handler that throws must not recurse
    this.emitter.emit('error', new DashwireError('handler_threw', `A handler for "${event}" threw`, { cause: error, details: { event } }));
  }

  private listenToBrowser(): void {
    const probeTimeout = this.options.probeTimeoutMs ?? clientDefaults.probeTimeoutMs;
    const probe = (): void => {
      for (const link of this.links.values()) link.probe(probeTimeout);
    };
    this.detachPage ??= watchPage({
      probe,
      online: () => {
        for (const link of this.links.values()) link.retryNow();
        probe();
      },
    });
  }

  private async stopWith(error: DashwireError): Promise<void> {
    this.status.error = error;
    this.emitter.emit('error', error);
    await this.close();
    this.status.error = error;
  }

  private fallbackHost(): FallbackHost {
    return {
      protocol: this.protocol,
      random: () => this.random(),
      probeTransport: () => this.wsTransport,
      probeUrl: () => this.urls[0] ?? '',
      token: () => this.token('connect'),
      enterPolling: () => {
        for (const link of this.links.values()) link.stop();
        this.links.clear();
        const url = this.pollUrl();
        this.pollLink = new Link(url, [url], this);
        this.pollLink.connect();
        this.updateState();
      },
      leavePolling: () => {
        const link = this.pollLink;
        this.pollLink = undefined;
        link?.stop();
        for (const wire of this.registry.all()) if (wire.state === 'subscribed') wire.setState('pending');
        this.startLinks();
        this.updateState();
      },
    };
  }

  private updateState(error?: DashwireError): void {
    if (this.status.state === 'closed' || this.stopping) return;
    this.setState(this.computeState(), error);
  }

  private computeState(): ConnectionState {
    const poll = this.pollLink;
    if (poll) return poll.isOpen ? 'polling' : poll.everOpened || poll.attempts > 0 ? 'reconnecting' : 'connecting';
    const links = [...this.links.values()];
    if (!this.started || links.length === 0) return 'idle';
    const down = links.filter((link) => !link.isOpen);
    if (down.length === 0) return 'open';
    // Only links that are not open decide: a first connect next to an open link is still "connecting".
    return down.some((link) => link.everOpened || link.attempts > 0) ? 'reconnecting' : 'connecting';
  }

  /** The only place the connection state changes. */
  private setState(next: ConnectionState, error: DashwireError | undefined): void {
    const previous = this.status.state;
    if (previous === next || !transitions[previous].includes(next)) return;
    const carried = next === 'open' || next === 'polling' ? undefined : (error ?? this.status.error);
    this.status = { state: next, error: next === 'closed' ? this.status.error : carried };
    this.emitter.emit('state', this.status.error ? { previous, current: next, error: this.status.error } : { previous, current: next });
  }
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
export function createClient(options: ClientOptions<DashboardEvents> & { protocol?: undefined }): Client<DashboardEvents>;
export function createClient<E extends EventCatalog>(options: ClientOptions<E> & { protocol: Protocol<E> }): Client<E>;
export function createClient<E extends EventCatalog>(options: ClientOptions<E>): Client<E> {
  return new FeedClient<E>(options);
}
