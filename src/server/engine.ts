import { parseJson } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import type { ServerSocket } from '../transport/server-socket.js';
import { createChannelLog } from './channel-log.js';
import type { DialectHost, FeedClient, FeedEvent, HttpResponse, ServerDialect } from './dialect.js';
import { createEngineFaults, type EngineFaults, type FaultSwitches } from './engine-faults.js';
import { httpRequest, routeHttp } from './engine-http.js';
import { feedEngineDefaults, type FeedEngineOptions, type FeedOptions } from './engine-options.js';
import { startFeedTimer } from './feed-timer.js';
import { createOutbox, type Outbox } from './outbox.js';
import { createDialect } from './registry.js';

/** One frame a client sent, as logged by the engine. @category Mock server */
export interface ReceivedFrame {
  readonly clientId: string;
  readonly frame: string;
  /** The frame parsed as JSON; `undefined` when it is not JSON. */
  readonly json: unknown;
  /** Unix ms. */
  readonly at: number;
}

/** A connected client, for inspection. @category Mock server */
export interface ClientInfo {
  readonly id: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly connectedAt: number;
  /** Subscribed channels and their params. */
  readonly subscriptions: ReadonlyMap<string, SubscriptionParams>;
}

/**
 * The transport-independent mock server: clients, per-channel seq and replay buffers,
 * a synthetic feed, faults and HTTP routes, running one {@link ServerDialect}. Adapters
 * (`ws`, mock-socket, in-memory) hand it {@link ServerSocket}s through `accept`.
 * @category Mock server
 */
export interface FeedEngine {
  readonly dialect: ServerDialect;
  /** Takes one new connection; a `MemoryAcceptor`, so `memoryTransport(engine.accept)` works. */
  readonly accept: (socket: ServerSocket) => void;
  /** Numbers, buffers and delivers an event to the clients that receive it. */
  publish(channel: string, type: string, data: unknown): FeedEvent;
  /** Sends a frame to every client as is (objects are JSON-encoded), outside any channel. */
  broadcast(frame: string | object): void;
  /** Frames received from clients, oldest first, bounded by `receivedLimit`. */
  readonly received: readonly ReceivedFrame[];
  /** Empties `received`. */
  clearReceived(): void;
  /** Number of connected clients. */
  readonly clientCount: number;
  /** The connected clients. */
  clients(): ClientInfo[];
  /** Last seq published on a channel, 0 if none. */
  lastSeq(channel: string): number;
  /** Starts, re-rates or (with `false`) stops the synthetic feed. */
  setFeed(options: FeedOptions | false): void;
  readonly faults: EngineFaults;
  /** True while `faults.refuse(ms)` is in force. */
  isRefusing(): boolean;
  /** Answers an HTTP request: the dialect's routes, `/poll/<channel>`, `/health`, CORS preflight, else 404. Header names may be in any case. */
  http(
    method: string,
    path: string,
    query?: URLSearchParams,
    headers?: Readonly<Record<string, string>>,
    body?: string,
  ): HttpResponse;
  /** As {@link FeedEngine.http}, also for routes that wait for an async auth check (what the adapters call). */
  request(
    method: string,
    path: string,
    query?: URLSearchParams,
    headers?: Readonly<Record<string, string>>,
    body?: string,
  ): Promise<HttpResponse>;
  /** Stops the feed, drops every client and clears timers. Channels and seqs are kept. */
  close(): void;
}

/**
 * Creates a feed engine. No Node-only APIs: the same engine runs behind `ws` in Node and
 * behind mock-socket or the memory transport in a browser.
 * @category Mock server
 */
export function createFeedEngine(options: FeedEngineOptions = {}): FeedEngine {
  const dialect =
    typeof options.protocol === 'object'
      ? options.protocol
      : createDialect(options.protocol ?? feedEngineDefaults.protocol);
  const receivedLimit = options.receivedLimit ?? feedEngineDefaults.receivedLimit;
  const random = options.random ?? Math.random;
  const now = (): number => Date.now();
  const channels = createChannelLog(options.replayBuffer ?? feedEngineDefaults.replayBuffer);
  const declaredList = options.channels ?? dialect.channels;
  const declared = declaredList === undefined || declaredList === 'any' ? undefined : new Set(declaredList);
  const connections = new Map<FeedClient, Outbox>();
  const received: ReceivedFrame[] = [];
  const switches: FaultSwitches = { silenced: false, delayMs: 0, refusingUntil: 0 };
  let nextClient = 1;
  let stopFeed: (() => void) | undefined;

  const forget = (client: FeedClient): void => {
    connections.get(client)?.discard();
    if (connections.delete(client)) dialect.closed?.(client);
  };

  const host: DialectHost = {
    publish: (channel, type, data) => publish(channel, type, data),
    replay: (name, since) => channels.replay(name, since),
    clients: () => [...connections.keys()],
    now,
    auth: options.auth,
    heartbeatMs: options.heartbeatMs ?? feedEngineDefaults.heartbeatMs,
    knowsChannel: (name) => declared === undefined || declared.has(name) || channels.has(name),
  };

  const publish = (name: string, type: string, data: unknown): FeedEvent => {
    const event = channels.append(name, type, data, now());
    for (const [client, outbox] of connections) {
      if (outbox.open && dialect.receives(client, event)) client.send(dialect.encode(event, client));
    }
    return event;
  };

  const accept = (socket: ServerSocket): void => {
    const outbox = createOutbox(socket, switches, now);
    const client: FeedClient = {
      id: `c${nextClient++}`,
      path: socket.path,
      query: socket.query,
      connectedAt: now(),
      subscriptions: new Map(),
      send: (frame) => outbox.send(frame),
      close: (code = 1000, reason = '') => outbox.close(code, reason),
      terminate: () => {
        forget(client);
        socket.terminate();
      },
    };
    connections.set(client, outbox);
    socket.onClose = () => forget(client);
    socket.onMessage = (frame) => {
      if (!connections.has(client)) return;
      received.push({ clientId: client.id, frame, json: parseJson(frame), at: now() });
      if (received.length > receivedLimit) received.splice(0, received.length - receivedLimit);
      if (!switches.silenced && outbox.open) guarded(client, () => dialect.message(client, frame, host));
    };
    guarded(client, () => dialect.open(client, host));
  };

  // A dialect bug must cost one connection (1011, as a real server would), not the process
  // hosting the server: under `ws` an exception here would be uncaught.
  const guarded = (client: FeedClient, run: () => void): void => {
    try {
      run();
    } catch {
      client.close(1011, 'internal error');
    }
  };

  const setFeed = (feed: FeedOptions | false): void => {
    stopFeed?.();
    stopFeed = undefined;
    if (feed === false) return;
    const rate = feed.rate ?? feedEngineDefaults.feedRate;
    if (!(rate > 0)) return;
    const next = dialect.feed(random);
    stopFeed = startFeedTimer(
      rate,
      () => {
        const item = next(now());
        publish(item.channel, item.type, item.data);
      },
      now,
    );
  };

  const faults = createEngineFaults(() => connections.keys(), switches, now);

  const request = (
    method: string,
    path: string,
    query = new URLSearchParams(),
    headers: Readonly<Record<string, string>> = {},
    body = '',
  ): HttpResponse | Promise<HttpResponse> => routeHttp(httpRequest(method, path, query, headers, body), dialect, host);

  if (options.feed) setFeed(options.feed);

  return {
    dialect,
    accept,
    publish,
    broadcast(frame) {
      const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
      for (const client of connections.keys()) client.send(text);
    },
    get received() {
      return received;
    },
    clearReceived() {
      received.length = 0;
    },
    get clientCount() {
      return connections.size;
    },
    clients: () =>
      [...connections.keys()].map(({ id, path, query, connectedAt, subscriptions }) => ({
        id,
        path,
        query,
        connectedAt,
        subscriptions: new Map(subscriptions),
      })),
    lastSeq: (channel) => channels.lastSeq(channel),
    setFeed,
    faults,
    isRefusing: () => now() < switches.refusingUntil,
    http(method, path, query, headers, body) {
      const response = request(method, path, query, headers, body);
      if ('then' in response)
        throw new TypeError('dashwire mock server: this route waits for an async auth check; use engine.request()');
      return response;
    },
    request: (method, path, query, headers, body) => Promise.resolve(request(method, path, query, headers, body)),
    close() {
      setFeed(false);
      faults.dropAll();
    },
  };
}
