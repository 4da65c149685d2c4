import { parseJson } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import { unrefTimer } from '../timers.js';
import type {
  AuthCheck,
  DialectHost,
  FeedClient,
  FeedEvent,
  HttpRequest,
  HttpResponse,
  ReplayResult,
  ServerDialect,
} from './dialect.js';
import { pollRoute } from './poll-route.js';
import { jsonResponse } from './dialect.js';
import { createDialect } from './registry.js';
import { ReplayBuffer } from './replay-buffer.js';
import type { ServerSocket } from '../transport/server-socket.js';

/** Synthetic feed settings. @category Mock server */
export interface FeedOptions {
  /** Events per second, across all channels. @default 10 */
  readonly rate?: number;
}

/** Options of {@link createFeedEngine}. @category Mock server */
export interface FeedEngineOptions {
  /** Dialect name from the registry, or a dialect instance. @default 'native' */
  readonly protocol?: string | ServerDialect;
  /** Synthetic feed; `false` publishes only what the app publishes. @default false */
  readonly feed?: FeedOptions | false;
  /** Events kept per channel for `since` replay and REST polling. @default 1000 */
  readonly replayBuffer?: number;
  /** Client frames kept in `received`, newest last. @default 1000 */
  readonly receivedLimit?: number;
  /** Require credentials: the dialect asks for a token and calls this. @default none */
  readonly auth?: AuthCheck;
  /** Heartbeat interval the server advertises (native `welcome.heartbeatMs`), in ms. @default 15000 */
  readonly heartbeatMs?: number;
  /**
   * Which channels clients may subscribe to; others are refused (`unknown_channel` in native).
   * `'any'` accepts every name. A channel something was published on always exists.
   * @default the dialect's declared channels (native: prices, trades, alerts, portfolio), or any when it declares none
   */
  readonly channels?: readonly string[] | 'any';
  /** Randomness of the synthetic feed; pass `seededRandom(n)` for a repeatable feed. @default Math.random */
  readonly random?: () => number;
}

/** Defaults of {@link FeedEngineOptions}. @category Mock server */
export const feedEngineDefaults = {
  protocol: 'native',
  feedRate: 10,
  replayBuffer: 1_000,
  receivedLimit: 1_000,
  heartbeatMs: 15_000,
} as const;

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

/** Faults the engine can inject, whatever carries its connections. @category Mock server */
export interface EngineFaults {
  /** Drops every connection at once, without close frames (1006 on the client). */
  dropAll(): void;
  /** Refuses new connections for `ms`; adapters ask {@link FeedEngine.isRefusing}. */
  refuse(ms: number): void;
  /**
   * Half-open connections: while on, nothing leaves the server (no pongs, no events, no acks)
   * and client frames are logged but not answered. Events still get seqs and are buffered.
   */
  silence(on?: boolean): void;
  /** Sends arbitrary text (malformed JSON, a frame of another protocol…) to every client. */
  sendRaw(frame: string): void;
  /** Delays every outgoing frame by `ms` from now on (0 stops), keeping each client's order. */
  delay(ms: number): void;
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

type Outgoing = { readonly due: number } & ({ readonly frame: string } | { readonly close: readonly [number, string] });

interface Connection {
  readonly client: FeedClient;
  readonly socket: ServerSocket;
  readonly queue: Outgoing[];
  timer: ReturnType<typeof setTimeout> | undefined;
  open: boolean;
}

interface Channel {
  lastSeq: number;
  readonly buffer: ReplayBuffer<FeedEvent>;
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, if-none-match',
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-expose-headers': 'etag',
};

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
  const bufferSize = options.replayBuffer ?? feedEngineDefaults.replayBuffer;
  const receivedLimit = options.receivedLimit ?? feedEngineDefaults.receivedLimit;
  const random = options.random ?? Math.random;
  const now = (): number => Date.now();
  const channels = new Map<string, Channel>();
  const declaredList = options.channels ?? dialect.channels;
  const declared = declaredList === undefined || declaredList === 'any' ? undefined : new Set(declaredList);
  const connections = new Map<FeedClient, Connection>();
  const received: ReceivedFrame[] = [];
  let nextClient = 1;
  let refusingUntil = 0;
  let silenced = false;
  let delayMs = 0;
  let stopFeed: (() => void) | undefined;

  const channelOf = (name: string): Channel => {
    let channel = channels.get(name);
    if (!channel) {
      channel = { lastSeq: 0, buffer: new ReplayBuffer<FeedEvent>(bufferSize) };
      channels.set(name, channel);
    }
    return channel;
  };

  const transmit = (conn: Connection, item: Outgoing): void => {
    if ('close' in item) {
      conn.open = false;
      conn.socket.close(...item.close);
    } else if (!silenced) {
      conn.socket.send(item.frame);
    }
  };

  const flush = (conn: Connection): void => {
    conn.timer = undefined;
    for (let head = conn.queue[0]; head && conn.open; head = conn.queue[0]) {
      const wait = head.due - now();
      if (wait > 0) {
        conn.timer = setTimeout(() => flush(conn), wait);
        unrefTimer(conn.timer);
        return;
      }
      conn.queue.shift();
      transmit(conn, head);
    }
    if (!conn.open) conn.queue.length = 0;
  };

  // Frames and closes share one FIFO per client, so a delayed error frame still arrives before its close.
  const enqueue = (conn: Connection, item: Outgoing): void => {
    if (!conn.open || (silenced && 'frame' in item)) return;
    if (conn.queue.length === 0 && item.due <= now()) return transmit(conn, item);
    conn.queue.push(item);
    if (!conn.timer) flush(conn);
  };

  const outgoing = (frame: string): Outgoing => ({ due: now() + delayMs, frame });

  const forget = (conn: Connection): void => {
    conn.open = false;
    conn.queue.length = 0;
    if (conn.timer) clearTimeout(conn.timer);
    conn.timer = undefined;
    if (connections.delete(conn.client)) dialect.closed?.(conn.client);
  };

  const host: DialectHost = {
    publish: (channel, type, data) => publish(channel, type, data),
    replay(name, since): ReplayResult {
      const channel = channels.get(name);
      const lastSeq = channel?.lastSeq ?? 0;
      const firstSeq = channel?.buffer.firstSeq() ?? lastSeq + 1;
      const events = channel ? channel.buffer.after(since) : [];
      return { events, recovered: since <= lastSeq && since + 1 >= firstSeq, lastSeq, firstSeq };
    },
    clients: () => [...connections.keys()],
    now,
    auth: options.auth,
    heartbeatMs: options.heartbeatMs ?? feedEngineDefaults.heartbeatMs,
    knowsChannel: (name) => declared === undefined || declared.has(name) || channels.has(name),
  };

  const publish = (name: string, type: string, data: unknown): FeedEvent => {
    const channel = channelOf(name);
    channel.lastSeq += 1;
    const event: FeedEvent = { channel: name, seq: channel.lastSeq, type, data, ts: now() };
    channel.buffer.push(event);
    for (const conn of connections.values()) {
      if (conn.open && dialect.receives(conn.client, event)) conn.client.send(dialect.encode(event, conn.client));
    }
    return event;
  };

  const accept = (socket: ServerSocket): void => {
    const conn: Connection = {
      client: {
        id: `c${nextClient++}`,
        path: socket.path,
        query: socket.query,
        connectedAt: now(),
        subscriptions: new Map(),
        send: (frame) => enqueue(conn, outgoing(frame)),
        close: (code = 1000, reason = '') => enqueue(conn, { due: now() + delayMs, close: [code, reason] }),
        terminate: () => {
          forget(conn);
          socket.terminate();
        },
      },
      socket,
      queue: [],
      timer: undefined,
      open: true,
    };
    connections.set(conn.client, conn);
    socket.onClose = () => forget(conn);
    socket.onMessage = (frame) => {
      if (!connections.has(conn.client)) return;
      received.push({ clientId: conn.client.id, frame, json: parseJson(frame), at: now() });
      if (received.length > receivedLimit) received.splice(0, received.length - receivedLimit);
      if (!silenced && conn.open) guarded(conn, () => dialect.message(conn.client, frame, host));
    };
    guarded(conn, () => dialect.open(conn.client, host));
  };

  // A dialect bug must cost one connection (1011, as a real server would), not the process
  // hosting the server: under `ws` an exception here would be uncaught.
  const guarded = (conn: Connection, run: () => void): void => {
    try {
      run();
    } catch {
      conn.client.close(1011, 'internal error');
    }
  };

  const setFeed = (feed: FeedOptions | false): void => {
    stopFeed?.();
    stopFeed = undefined;
    if (feed === false) return;
    const rate = feed.rate ?? feedEngineDefaults.feedRate;
    if (!(rate > 0)) return;
    const next = dialect.feed(random);
    const started = now();
    let emitted = 0;
    // Catch up by elapsed time rather than one event a tick: timers are coarse and get
    // throttled, and the rate should hold anyway (but never burst more than a second's worth).
    const tick = (): void => {
      const due = Math.floor(((now() - started) * rate) / 1000) - emitted;
      const count = Math.min(due, Math.ceil(rate));
      emitted += Math.max(due, 0);
      for (let i = 0; i < count; i += 1) {
        const item = next(now());
        publish(item.channel, item.type, item.data);
      }
    };
    const timer = setInterval(tick, Math.min(1000, Math.max(10, 1000 / rate)));
    unrefTimer(timer);
    stopFeed = () => clearInterval(timer);
  };

  const faults: EngineFaults = {
    dropAll() {
      for (const conn of [...connections.values()]) conn.client.terminate();
    },
    refuse(ms) {
      refusingUntil = Math.max(refusingUntil, now() + ms);
    },
    silence(on = true) {
      silenced = on;
    },
    sendRaw(frame) {
      for (const conn of connections.values()) conn.client.send(frame);
    },
    delay(ms) {
      delayMs = Math.max(0, ms);
    },
  };

  const route = (
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Readonly<Record<string, string>>,
    body: string,
  ): HttpResponse | Promise<HttpResponse> => {
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    const request: HttpRequest = { method: method.toUpperCase(), path, query, headers: lower, body };
    const withCors = (response: HttpResponse): HttpResponse => ({
      ...response,
      headers: { ...corsHeaders, ...response.headers },
    });
    const failed = (cause: unknown): HttpResponse =>
      jsonResponse(500, { error: 'internal', message: cause instanceof Error ? cause.message : String(cause) });
    if (request.method === 'OPTIONS')
      return withCors({ status: 204, headers: { 'access-control-max-age': '600' }, body: '' });
    let routed: HttpResponse | Promise<HttpResponse> | undefined;
    try {
      routed = dialect.http?.(request, host);
    } catch (cause) {
      routed = failed(cause);
    }
    if (routed && 'then' in routed) return routed.then(withCors, (cause: unknown) => withCors(failed(cause)));
    if (!routed) routed = pollRoute(request, dialect, host);
    if (!routed && path === '/health')
      routed = jsonResponse(200, { ok: true, protocol: dialect.name, clients: connections.size });
    return withCors(routed ?? jsonResponse(404, { error: 'not_found', message: `no route ${request.method} ${path}` }));
  };

  const http = (
    method: string,
    path: string,
    query: URLSearchParams = new URLSearchParams(),
    headers: Readonly<Record<string, string>> = {},
    body = '',
  ): HttpResponse => {
    const response = route(method, path, query, headers, body);
    if ('then' in response)
      throw new TypeError('dashwire mock server: this route waits for an async auth check; use engine.request()');
    return response;
  };

  if (options.feed) setFeed(options.feed);

  return {
    dialect,
    accept,
    publish,
    broadcast(frame) {
      const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
      for (const conn of connections.values()) conn.client.send(text);
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
    lastSeq: (channel) => channels.get(channel)?.lastSeq ?? 0,
    setFeed,
    faults,
    isRefusing: () => now() < refusingUntil,
    http,
    request: (method, path, query = new URLSearchParams(), headers = {}, body = '') =>
      Promise.resolve(route(method, path, query, headers, body)),
    close() {
      setFeed(false);
      faults.dropAll();
    },
  };
}
