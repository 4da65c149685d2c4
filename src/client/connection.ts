import { DashwireError } from '../errors.js';
import type { Inbound, PollChannel, Protocol } from '../protocol/types.js';
import { deferSyncCallbacks } from '../transport/deferred.js';
import type { CloseInfo, Connection as Socket, ConnectionHandlers, Transport } from '../transport/types.js';
import type { ResolvedReconnectOptions } from './backoff.js';
import { decodeFrame } from './decode.js';
import { createHeartbeat, type Heartbeat, type HeartbeatTiming } from './heartbeat.js';
import { Reports } from './reports.js';
import { afterFailure } from './retry.js';
import { Session } from './session.js';
import { TimerSet } from './timer-set.js';
import type { TokenSource } from './token.js';

/** Where one endpoint's connection is in its life. */
export type ConnectionPhase = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

/** What a {@link Connection} is made with: values and the units it commands, no callbacks into its owner. */
export interface ConnectionOptions {
  readonly endpoint: string;
  /** Equivalent URLs, tried in turn after attempts that failed before a frame. */
  readonly urls: readonly string[];
  readonly protocol: Protocol;
  readonly transport: Transport;
  readonly reconnect: ResolvedReconnectOptions | false;
  readonly connectTimeoutMs: number;
  readonly heartbeat: HeartbeatTiming | false;
  /** The user set the heartbeat interval: a server's welcome does not replace it. */
  readonly fixedInterval: boolean;
  readonly tokens: TokenSource;
  readonly random: () => number;
  readonly isHidden: () => boolean;
  readonly maxMessageBytes: number;
  /** Subscribed channels and cursors, for transports that follow them (polling). */
  readonly channels: () => readonly PollChannel[];
  /**
   * Probe mode (the fallback's WebSocket probe): one attempt, no reconnect, no heartbeat; the
   * first frame reports `healthy` and closes; no frame within `probeSilenceMs` is a failure.
   */
  readonly probe?: { readonly silenceMs: number };
}

/** What a connection reports to its owner. */
export type ConnectionReports = {
  /** Open: subscribe and flush now. */
  open: () => void;
  /** Decoded items that are not control frames, with the text an `invalid` report quotes; `handled`: control items kept here. */
  items: (items: readonly Inbound[], raw: string, handled: number) => void;
  /** Down; `retryInMs` is when the next attempt starts, undefined when this connection stopped for good. */
  down: (error: DashwireError, retryInMs: number | undefined) => void;
  /** The server refused the credentials in an error frame (the connection refreshes the token itself). */
  refused: (error: DashwireError) => void;
  /** A ping's round trip, in ms. */
  rtt: (ms: number) => void;
  /** Probe mode: a frame arrived; the probe connection is already closed. */
  healthy: () => void;
  /** The phase changed (the owner recomputes the client's state). */
  changed: () => void;
};

/** One endpoint's whole life: attempts, reconnect loop, heartbeat, session (see {@link createConnection}). */
export interface Connection extends Pick<Reports<ConnectionReports>, 'on'> {
  readonly endpoint: string;
  readonly phase: ConnectionPhase;
  /** Consecutive failed attempts (the backoff exponent); reset only by a healthy connection. */
  readonly attempts: number;
  /** Consecutive failures as the fallback counts them: refused, closed before the first frame, or silent. */
  readonly failures: number;
  readonly everOpened: boolean;
  /** Whether the current socket follows the channel list itself (polling). */
  readonly managesChannels: boolean;
  /** Protocol version the current socket's server announced. */
  readonly serverVersion: string | undefined;
  /** Starts an attempt (no-op while connecting, open or stopped). */
  connect(): void;
  /** Sends a frame if open; false otherwise. */
  send(frame: string): boolean;
  /** Probes now: dead unless a frame arrives within `timeoutMs` (page woke up, network back). */
  check(timeoutMs: number): void;
  /** Retries now instead of waiting out the backoff. */
  retryNow(): void;
  /** Stops for good, silently; resolves once the socket reported its close. */
  close(): Promise<void>;
}

let nextPingId = 1;

/**
 * One endpoint's connection and its reconnect loop. Every attempt gets a fresh id and its own
 * {@link Session}; callbacks of an older attempt are ignored, so a dead socket can never
 * change the state of its successor. A retry is scheduled before `down` is reported, so an
 * owner that closes the connection while handling `down` simply cancels it.
 */
export function createConnection(options: ConnectionOptions): Connection {
  const { protocol, reconnect, urls, endpoint } = options;
  const transport = deferSyncCallbacks(options.transport);
  const reports = new Reports<ConnectionReports>();
  const healthyAfterMs = reconnect ? reconnect.healthyAfterMs : 5_000;
  let phase: ConnectionPhase = 'idle';
  let attempts = 0;
  let failures = 0;
  let everOpened = false;
  let refreshToken = false;
  let authRefusals = 0;
  let tokenGeneration = 0;
  let attemptId = 0;
  let socket: Socket | undefined;
  let session = new Session(protocol, options.fixedInterval);
  let heartbeat: Heartbeat | undefined;
  let pendingError: DashwireError | undefined;
  let gotFrame = false;
  let openedAt = 0;
  let urlIndex = 0;
  let closeWaiters: (() => void)[] = [];
  const timers = new TimerSet<'retry' | 'healthy' | 'connect' | 'silence'>();

  function setPhase(next: ConnectionPhase): void {
    if (phase === next) return;
    phase = next;
    reports.emit('changed');
  }

  function connect(): void {
    if (phase === 'stopped' || phase === 'connecting' || phase === 'open') return;
    timers.stop('retry');
    const id = ++attemptId;
    session = new Session(protocol, options.fixedInterval);
    gotFrame = false;
    setPhase('connecting');
    const refresh = refreshToken;
    refreshToken = false;
    options.tokens.get(refresh ? 'refresh' : 'connect', tokenGeneration).then(
      (token) => {
        tokenGeneration = options.tokens.generation;
        if (id === attemptId && phase === 'connecting') open(id, token);
      },
      (cause: unknown) => {
        if (id === attemptId && phase === 'connecting') fail(new DashwireError('token_failed', 'The auth token provider failed', { cause }));
      },
    );
  }

  function open(id: number, token: string | undefined): void {
    let url = urls[urlIndex % urls.length] ?? endpoint;
    if (token !== undefined && protocol.authUrl) url = protocol.authUrl(url, token);
    const current = (): boolean => id === attemptId;
    const handlers: ConnectionHandlers = {
      onOpen: () => {
        if (!current() || phase !== 'connecting') return;
        timers.stop('connect');
        openedAt = Date.now();
        everOpened = true;
        setPhase('open');
        if (token !== undefined) {
          const auth = protocol.encodeAuth?.(token);
          if (auth) socket?.send(auth);
        }
        if (options.probe) {
          const ping = protocol.encodePing(0);
          if (ping) socket?.send(ping);
          // A probe that opens but never delivers a frame is a proxy that swallows frames.
          timers.start('silence', options.probe.silenceMs, () => drop(4000, 'probe silent'));
          return;
        }
        startHeartbeat();
        timers.start('healthy', healthyAfterMs, checkHealthy);
        reports.emit('open');
      },
      onMessage: (frame) => {
        if (!current() || phase !== 'open') return;
        const { items, raw } = decodeFrame(protocol, frame, options.maxMessageBytes);
        received(items, raw);
      },
      onInbound: (items, raw) => {
        if (current() && phase === 'open') received(items, raw);
      },
      onError: (error) => {
        if (current()) pendingError = error;
      },
      onClose: (info) => {
        const waiters = closeWaiters;
        closeWaiters = [];
        for (const resolve of waiters) resolve();
        if (!current()) return;
        socket = undefined;
        lost(info);
      },
    };
    socket = transport.connect({ url, protocol, channels: options.channels, handlers, ...(token === undefined ? {} : { token }) });
    timers.start('connect', options.connectTimeoutMs, () => {
      if (!current() || phase !== 'connecting') return;
      const timeoutMs = options.connectTimeoutMs;
      pendingError = new DashwireError('connect_timeout', `No handshake within ${timeoutMs} ms`, { details: { timeoutMs } });
      drop(4000, 'connect timeout');
    });
  }

  /** Every frame of the open socket: proves liveness, control items go to the session, the rest up. */
  function received(items: readonly Inbound[], raw: string): void {
    heartbeat?.frame();
    if (!gotFrame) {
      gotFrame = true;
      failures = 0;
      if (options.probe) return healthy();
      if (Date.now() - openedAt >= healthyAfterMs) checkHealthy();
    }
    const passed: Inbound[] = [];
    let refused: DashwireError | undefined;
    for (const item of items) {
      const outcome = session.control(item);
      if (outcome.kind === 'pass') passed.push(item);
      else if (outcome.kind === 'heartbeat') heartbeat?.setInterval(outcome.intervalMs);
      else if (outcome.kind === 'rtt') reports.emit('rtt', outcome.ms);
      else if (outcome.kind === 'refused') refused ??= outcome.error;
    }
    // Sent up even when empty: a frame of control items only still counts as a frame received.
    reports.emit('items', passed, raw, items.length - passed.length);
    if (refused && phase === 'open') {
      reports.emit('refused', refused);
      authRefused();
    }
  }

  function healthy(): void {
    stop();
    reports.emit('healthy');
  }

  function checkHealthy(): void {
    if (phase !== 'open' || !gotFrame) return;
    timers.stop('healthy');
    attempts = 0;
    authRefusals = 0;
  }

  function startHeartbeat(): void {
    const timing = options.heartbeat;
    if (!timing || timing.intervalMs <= 0) return;
    heartbeat = createHeartbeat(timing, {
      sendPing: () => {
        const id = nextPingId++;
        const frame = protocol.encodePing(id);
        if (!frame || !socket) return false;
        session.pingSent(id);
        socket.send(frame);
        return true;
      },
      onDead: (silentForMs) => {
        if (phase !== 'open') return;
        pendingError = new DashwireError('heartbeat_timeout', `No frame for ${silentForMs} ms: connection presumed dead`, { details: { silentForMs } });
        // Terminate rather than wait for a close handshake the dead peer will never answer.
        drop(4000, 'heartbeat timeout');
      },
      isHidden: options.isHidden,
    });
    heartbeat.start();
  }

  /** Ends the current socket as failed now (the transport reports its close asynchronously). */
  function drop(code: number, reason: string): void {
    const dropped = socket;
    if (!dropped) return;
    attemptId++;
    socket = undefined;
    dropped.close(code, reason);
    lost({ code, reason, wasClean: false });
  }

  function lost(info: CloseInfo): void {
    const wasOpen = phase === 'open';
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
    const refused = info !== undefined && session.refusedByClose(info.code);
    const reconnecting = options.probe ? false : reconnect;
    const next = afterFailure({ error, info, protocol, reconnect: reconnecting, attempts, toldMs: session.takeRetryAfter(), refused, random: options.random });
    if (next.kind === 'stop') return giveUp(next.error);
    if (next.kind === 'refresh') return authRefused();
    attempts++;
    if (urls.length > 1 && !gotFrame) urlIndex++;
    // The phase changes silently: the owner learns of it from `down`, together with the error.
    phase = 'waiting';
    timers.start('retry', next.delayMs, connect, true); // ref'd: a Node bot waiting to reconnect must stay alive
    reports.emit('down', error, next.delayMs);
  }

  function authRefused(): void {
    authRefusals++;
    if (authRefusals >= 2) return giveUp(new DashwireError('auth_failed', 'The server refused the credentials, also after a token refresh'));
    refreshToken = true;
    stopTimers();
    const refusedSocket = socket;
    if (refusedSocket) {
      attemptId++;
      socket = undefined;
      refusedSocket.close(1000, 'auth refresh');
    }
    phase = 'waiting';
    reports.emit('down', new DashwireError('auth_failed', 'The server refused the credentials; refreshing the token'), 0);
    connect(); // at once, with a fresh token (a no-op if the owner stopped this connection meanwhile)
  }

  /** Stops for good because of `error`, and says so. */
  function giveUp(error: DashwireError): void {
    halt();
    reports.emit('down', error, undefined);
  }

  /** Stops for good, silently (the owner asked). */
  function stop(): void {
    if (phase === 'stopped') return;
    halt();
    reports.emit('changed');
  }

  function halt(): void {
    stopTimers();
    timers.stop('retry');
    attemptId++;
    const stopped = socket;
    socket = undefined;
    phase = 'stopped';
    stopped?.close(1000, 'client closed');
  }

  /** Stops the timers of the current socket (the retry wait is the loop's, kept). */
  function stopTimers(): void {
    heartbeat?.stop();
    heartbeat = undefined;
    timers.stop('healthy');
    timers.stop('connect');
    timers.stop('silence');
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    endpoint,
    get phase() {
      return phase;
    },
    get attempts() {
      return attempts;
    },
    get failures() {
      return failures;
    },
    get everOpened() {
      return everOpened;
    },
    get managesChannels() {
      return socket?.managesChannels === true;
    },
    get serverVersion() {
      return session.version;
    },
    connect,
    send(frame) {
      if (phase !== 'open' || !socket) return false;
      socket.send(frame);
      return true;
    },
    check(timeoutMs) {
      heartbeat?.check(timeoutMs);
    },
    retryNow() {
      if (phase === 'waiting') connect();
    },
    async close() {
      const closed = socket ? new Promise<void>((resolve) => closeWaiters.push(resolve)) : Promise.resolve();
      // Detached first: the owner is done with this connection and hears nothing more from it.
      reports.clear();
      stop();
      await closed;
    },
  };
}
