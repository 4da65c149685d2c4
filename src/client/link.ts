import { DashwireError } from '../errors.js';
import type { Inbound } from '../protocol/types.js';
import { maxTimerMs, unrefTimer } from '../timers.js';
import type { CloseInfo, Connection, ConnectionHandlers, Transport } from '../transport/types.js';
import type { PollChannel, Protocol } from '../protocol/types.js';
import { backoffDelay, retryAfterFromReason, type ResolvedReconnectOptions } from './backoff.js';
import { createHeartbeat, type Heartbeat, type HeartbeatTiming } from './heartbeat.js';

/** State of one endpoint's connection. */
export type LinkState = 'connecting' | 'open' | 'waiting' | 'stopped';

/** What a {@link Link} needs from its client. */
export interface LinkHost {
  readonly protocol: Protocol;
  readonly reconnect: ResolvedReconnectOptions | false;
  /** Longest wait for a handshake, in ms (see `ClientOptions.connectTimeoutMs`). */
  readonly connectTimeoutMs: number;
  heartbeatFor(link: Link): HeartbeatTiming | false;
  readonly random: () => number;
  transport(link: Link): Transport;
  channels(link: Link): readonly PollChannel[];
  /**
   * Resolves the token for this attempt (single-flight across links); undefined without auth.
   * `refusedGeneration` is the generation of the token the server refused: when another socket
   * has refreshed since, the client reuses that refresh instead of starting another.
   */
  token(reason: 'connect' | 'refresh', refusedGeneration?: number): Promise<string | undefined>;
  /** Count of completed refreshes; the token a link got belongs to the generation current when it resolved. */
  readonly tokenGeneration: number;
  isHidden(): boolean;
  opened(link: Link): void;
  frame(link: Link, frame: string): void;
  inbound(link: Link, items: Inbound[], raw: string): void;
  /** The link went down; `retryInMs` is undefined when it will not retry. */
  down(link: Link, error: DashwireError, retryInMs: number | undefined): void;
  /** The state of this link changed; the client recomputes its own. */
  changed(link: Link): void;
}

let nextPingId = 1;

/** Server-directed backoff in a close frame: the protocol's hook, else `retry-after=<seconds>` in the reason; 0 if none. */
function closeRetryAfterMs(protocol: Protocol, info: CloseInfo): number {
  let ms: number | undefined;
  try {
    ms = protocol.retryAfterFromClose ? protocol.retryAfterFromClose(info) : retryAfterFromReason(info.reason);
  } catch {
    ms = undefined; // a throwing hook must not break the reconnect loop
  }
  return typeof ms === 'number' && ms > 0 ? ms : 0;
}

/** One endpoint's connection and its reconnect loop (see {@link createLink}). */
export interface Link {
  readonly endpoint: string;
  /** Consecutive attempts that failed (the backoff exponent). Reset only by a healthy connection. */
  readonly attempts: number;
  /** Consecutive failures as the fallback counts them: refused, closed before the first frame, or silent. */
  readonly failures: number;
  /** Ever been open (so the next connect is a *re*connect). */
  readonly everOpened: boolean;
  readonly isOpen: boolean;
  /** Whether the current connection follows the channel list itself (polling). */
  readonly managesChannels: boolean;
  /** Send time (Date.now) of the ping in flight, by ping id: the client measures the round trip on pong. */
  readonly pings: Map<number, number>;
  /** Protocol version the current connection's server announced in its welcome (reset on every attempt). */
  serverVersion: string | undefined;
  /** Starts (or restarts now) a connection attempt. */
  connect(): void;
  /** The server told us to wait this long, in ms, before reconnecting (an error frame's retry-after). */
  retryAfter(ms: number): void;
  /** Server-announced heartbeat interval (welcome). */
  setHeartbeatInterval(ms: number): void;
  /** Immediate liveness probe (visibility, pageshow, online). */
  probe(timeoutMs: number): void;
  /** Sends a frame if open; false otherwise. */
  send(frame: string): boolean;
  /** The server refused our credentials: refresh once, then stop. */
  authRefused(): void;
  /** Stops for good (fatal error, gave up, or closed by the client). */
  stop(error?: DashwireError): void;
  /** Stops and resolves once the transport reports the socket closed. */
  close(): Promise<void>;
  /** Retry now instead of waiting out the backoff (browser `online`). */
  retryNow(): void;
}

/**
 * One endpoint's connection and its reconnect loop. Every attempt gets a fresh
 * id; callbacks of an older attempt are ignored, so a dead socket can never
 * change the state of its successor.
 */
export function createLink(endpoint: string, urls: readonly string[], host: LinkHost): Link {
  const { protocol, reconnect } = host;
  const healthyAfterMs = reconnect ? reconnect.healthyAfterMs : 5_000;
  const pings = new Map<number, number>();
  let state: LinkState = 'waiting';
  let attempts = 0;
  let failures = 0;
  let everOpened = false;
  /** Ms the server told us to wait before reconnecting (retry-after). */
  let retryAfterMs = 0;
  /** Force the next token request to be a refresh (the last one was refused). */
  let refreshToken = false;
  /** Consecutive auth refusals; two in a row stop the client. */
  let authRefusals = 0;
  /** Token generation of this link's last token (see {@link LinkHost.tokenGeneration}). */
  let tokenGeneration = 0;
  let attemptId = 0;
  let connection: Connection | undefined;
  let heartbeat: Heartbeat | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let healthyTimer: ReturnType<typeof setTimeout> | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  let gotFrame = false;
  let openedAt = 0;
  let urlIndex = 0;
  let closeWaiters: (() => void)[] = [];
  let pendingError: DashwireError | undefined;

  const link: Link = {
    endpoint,
    get attempts() {
      return attempts;
    },
    get failures() {
      return failures;
    },
    get everOpened() {
      return everOpened;
    },
    get isOpen() {
      return state === 'open';
    },
    get managesChannels() {
      return connection?.managesChannels === true;
    },
    pings,
    serverVersion: undefined,
    connect,
    retryAfter(ms) {
      retryAfterMs = ms;
    },
    setHeartbeatInterval(ms) {
      heartbeat?.setInterval(ms);
    },
    probe(timeoutMs) {
      heartbeat?.check(timeoutMs);
    },
    send(frame) {
      if (state !== 'open' || !connection) return false;
      connection.send(frame);
      return true;
    },
    authRefused,
    stop,
    async close() {
      const closed = connection ? new Promise<void>((resolve) => closeWaiters.push(resolve)) : Promise.resolve();
      stop();
      await closed;
    },
    retryNow() {
      if (state === 'waiting') connect();
    },
  };

  function connect(): void {
    if (state === 'stopped' || state === 'connecting' || state === 'open') return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const id = ++attemptId;
    link.serverVersion = undefined;
    setState('connecting');
    gotFrame = false;
    const refresh = refreshToken;
    refreshToken = false;
    host.token(refresh ? 'refresh' : 'connect', tokenGeneration).then(
      (token) => {
        tokenGeneration = host.tokenGeneration;
        if (id === attemptId && state === 'connecting') open(id, token);
      },
      (cause: unknown) => {
        if (id !== attemptId || state !== 'connecting') return;
        fail(new DashwireError('token_failed', 'The auth token provider failed', { cause }));
      },
    );
  }

  function open(id: number, token: string | undefined): void {
    let url = urls[urlIndex % urls.length] ?? endpoint;
    if (token !== undefined && protocol.authUrl) url = protocol.authUrl(url, token);
    const current = (): boolean => id === attemptId;
    // A transport may call back synchronously, inside connect(), before `connection` is
    // set (a user-written one that opens or fails at once): such callbacks wait until it is.
    let early: (() => void)[] | undefined = [];
    const handlers: ConnectionHandlers = {
      onOpen: () => {
        if (early) return void early.push(handlers.onOpen);
        if (!current() || state !== 'connecting') return;
        clearTimeout(connectTimer);
        openedAt = Date.now();
        setState('open');
        everOpened = true;
        if (token !== undefined) {
          const auth = protocol.encodeAuth?.(token);
          if (auth) connection?.send(auth);
        }
        startHeartbeat();
        healthyTimer = setTimeout(checkHealthy, healthyAfterMs);
        unrefTimer(healthyTimer);
        host.opened(link);
      },
      onMessage: (frame) => {
        if (early) return void early.push(() => handlers.onMessage(frame));
        if (!current() || state !== 'open') return;
        noteFrame();
        host.frame(link, frame);
      },
      onInbound: (items, raw) => {
        if (early) return void early.push(() => handlers.onInbound(items, raw));
        if (!current() || state !== 'open') return;
        noteFrame();
        host.inbound(link, items, raw);
      },
      onError: (error) => {
        if (current()) pendingError = error;
      },
      onClose: (info) => {
        if (early) return void early.push(() => handlers.onClose(info));
        const waiters = closeWaiters;
        closeWaiters = [];
        for (const resolve of waiters) resolve();
        if (!current()) return;
        connection = undefined;
        lost(info);
      },
    };
    const created = host.transport(link).connect({ url, protocol, channels: () => host.channels(link), handlers, ...(token === undefined ? {} : { token }) });
    if (current()) {
      connection = created;
      connectTimer = setTimeout(() => {
        if (!current() || state !== 'connecting') return;
        const timeoutMs = host.connectTimeoutMs;
        pendingError = new DashwireError('connect_timeout', `No handshake within ${timeoutMs} ms`, { details: { timeoutMs } });
        drop(4000, 'connect timeout');
      }, Math.min(maxTimerMs, host.connectTimeoutMs));
      unrefTimer(connectTimer);
    }
    const queued = early;
    early = undefined;
    for (const callback of queued) callback();
  }

  function noteFrame(): void {
    heartbeat?.frame();
    if (!gotFrame) {
      gotFrame = true;
      failures = 0;
      if (Date.now() - openedAt >= healthyAfterMs) checkHealthy();
    }
  }

  function checkHealthy(): void {
    if (state !== 'open' || !gotFrame) return;
    clearTimeout(healthyTimer);
    attempts = 0;
    authRefusals = 0;
  }

  function startHeartbeat(): void {
    const timing = host.heartbeatFor(link);
    if (!timing || timing.intervalMs <= 0) return;
    heartbeat = createHeartbeat(timing, {
      sendPing: () => {
        const id = nextPingId++;
        const frame = protocol.encodePing(id);
        if (!frame || !connection) return false;
        pings.clear();
        pings.set(id, Date.now());
        connection.send(frame);
        return true;
      },
      onDead: (silentForMs) => {
        if (state !== 'open') return;
        pendingError = new DashwireError('heartbeat_timeout', `No frame for ${silentForMs} ms: connection presumed dead`, {
          details: { silentForMs },
        });
        // Counted as a failure by lost() (no frame since open), once.
        // Terminate rather than wait for a close handshake the dead peer will never answer.
        drop(4000, 'heartbeat timeout');
      },
      isHidden: () => host.isHidden(),
    });
    heartbeat.start();
  }

  /** Ends the current connection as failed and schedules a reconnect. */
  function drop(code: number, reason: string): void {
    const dropped = connection;
    if (!dropped) return;
    const id = attemptId;
    dropped.close(code, reason);
    // The transport reports the close asynchronously; make this attempt's end take effect now.
    if (id === attemptId && connection === dropped) {
      attemptId++;
      connection = undefined;
      lost({ code, reason, wasClean: false });
    }
  }

  function lost(info: CloseInfo): void {
    const wasOpen = state === 'open';
    stopTimers();
    if (!wasOpen || !gotFrame) failures++;
    const error =
      pendingError ??
      new DashwireError(wasOpen ? 'connection_lost' : 'connect_failed', wasOpen ? 'Connection lost' : 'Could not connect', {
        details: { code: info.code, reason: info.reason },
      });
    pendingError = undefined;
    fail(error, info);
  }

  function fail(error: DashwireError, info?: CloseInfo): void {
    stopTimers();
    if (info && protocol.fatalCloseCodes?.includes(info.code)) {
      return stop(new DashwireError('fatal_close', `Server closed with ${info.code}: ${info.reason}`, { details: { code: info.code, reason: info.reason } }));
    }
    if (info && protocol.authFailure?.closeCodes?.includes(info.code)) {
      return authRefused();
    }
    if (!reconnect) return stop(error);
    if (attempts >= reconnect.maxAttempts) {
      return stop(new DashwireError('max_attempts', `Gave up after ${attempts} attempts`, { cause: error }));
    }
    const told = Math.max(retryAfterMs, info ? closeRetryAfterMs(protocol, info) : 0);
    retryAfterMs = 0;
    const backoff = backoffDelay(attempts, reconnect, host.random());
    // The server's delay first, then the usual jittered backoff on top: a thousand clients told
    // the same retry-after must not all come back in the same millisecond. Clamped, because a
    // longer setTimeout fires at once (a hostile retry-after would cause a storm, not a pause).
    const delay = Math.min(maxTimerMs, told > 0 ? told + backoff : backoff);
    attempts++;
    if (urls.length > 1 && !gotFrame) urlIndex++;
    // State first, silently: the client learns of it from down(), together with the error.
    state = 'waiting';
    host.down(link, error, delay);
    if (state !== 'waiting') return;
    // Ref'd on purpose: a Node bot waiting to reconnect must stay alive.
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, delay);
  }

  function authRefused(): void {
    authRefusals++;
    if (authRefusals >= 2) {
      return stop(new DashwireError('auth_failed', 'The server refused the credentials, also after a token refresh'));
    }
    refreshToken = true;
    stopTimers();
    if (connection) {
      attemptId++;
      connection.close(1000, 'auth refresh');
      connection = undefined;
    }
    state = 'waiting';
    host.down(link, new DashwireError('auth_failed', 'The server refused the credentials; refreshing the token'), 0);
    if (state === 'waiting') connect();
  }

  function stop(error?: DashwireError): void {
    if (state === 'stopped') return;
    stopTimers();
    clearTimeout(retryTimer);
    retryTimer = undefined;
    attemptId++;
    const stopped = connection;
    connection = undefined;
    stopped?.close(1000, 'client closed');
    if (error) {
      state = 'stopped';
      host.down(link, error, undefined);
    } else {
      setState('stopped');
    }
  }

  function stopTimers(): void {
    clearTimeout(connectTimer);
    connectTimer = undefined;
    heartbeat?.stop();
    heartbeat = undefined;
    clearTimeout(healthyTimer);
    healthyTimer = undefined;
    pings.clear();
  }

  function setState(next: LinkState): void {
    if (state === next) return;
    state = next;
    host.changed(link);
  }

  return link;
}
