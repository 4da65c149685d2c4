import { DashwireError } from '../errors.js';
import type { PollCodec } from '../protocol/poll-codec.js';
import type { Inbound, PollChannel, Protocol } from '../protocol/types.js';
import { deferSyncCallbacks } from '../transport/deferred.js';
import type { CloseInfo, Transport } from '../transport/types.js';
import { createAttempt, type Attempt } from './attempt.js';
import type { ResolvedReconnectOptions } from './backoff.js';
import type { HeartbeatTiming } from './heartbeat.js';
import { hiddenDelay, livenessDefaults } from './liveness.js';
import { maxTimerMs } from '../timers.js';
import { Reports } from './reports.js';
import { afterFailure } from './retry.js';
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
  /** Hook (#16): whether the browser is offline; dialing pauses until it is not. */
  readonly isOffline?: () => boolean;
  readonly maxMessageBytes: number;
  /** Subscribed channels and cursors, for transports that follow them (polling). */
  readonly channels: () => readonly PollChannel[];
  /** Polling: how to plan each round and read its bodies (a fresh codec per attempt). */
  readonly poll?: (baseUrl: string) => PollCodec;
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
  /** Decoded items that are not control frames, with the text an `invalid` report quotes. */
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
  /** Whether this connection follows the channel list itself (polling): no subscribe frames. */
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

/**
 * One endpoint's connection and its reconnect loop. Every attempt is its own {@link Attempt}
 * (one socket, its session and heartbeat); the one it replaces is abandoned first, so a dead
 * socket can never change the state of its successor. A retry is scheduled before `down` is
 * reported, so an owner that closes the connection while handling `down` simply cancels it.
 */
export function createConnection(options: ConnectionOptions): Connection {
  const { protocol, reconnect, urls, endpoint } = options;
  const transport = deferSyncCallbacks(options.transport);
  const reports = new Reports<ConnectionReports>();
  const healthyAfterMs = reconnect ? reconnect.healthyAfterMs : 5_000;
  const timers = new TimerSet<'retry' | 'healthy'>();
  let phase: ConnectionPhase = 'idle';
  let attempt: Attempt | undefined;
  /** Counts token requests, so a late answer for an abandoned attempt is dropped. */
  let tokenRequest = 0;
  let attempts = 0;
  let failures = 0;
  let everOpened = false;
  let refreshToken = false;
  let authRefusals = 0;
  let tokenGeneration = 0;
  let openedAt = 0;
  let urlIndex = 0;
  let closing: Promise<void> = Promise.resolve();

  function setPhase(next: ConnectionPhase): void {
    if (phase === next) return;
    phase = next;
    reports.emit('changed');
  }

  function connect(): void {
    if (phase === 'stopped' || phase === 'connecting' || phase === 'open') return;
    timers.stop('retry');
    if (pausedOffline()) return;
    const request = ++tokenRequest;
    setPhase('connecting');
    const refresh = refreshToken;
    refreshToken = false;
    options.tokens.get(refresh ? 'refresh' : 'connect', tokenGeneration).then(
      (token) => {
        tokenGeneration = options.tokens.generation;
        if (request === tokenRequest && phase === 'connecting') start(token);
      },
      (cause: unknown) => {
        if (request === tokenRequest && phase === 'connecting')
          fail(new DashwireError('token_failed', 'The auth token provider failed', { cause }), undefined, false);
      },
    );
  }

  /**
   * Offline (`navigator.onLine === false`): no attempt is dialed (each would fail and grow the
   * backoff); the owner calls `retryNow()` on `online`, and the pause re-reads the flag every
   * `offlineRecheckMs` in case that event is missed.
   */
  function pausedOffline(): boolean {
    if (!options.isOffline?.() || options.probe) return false;
    const was = phase;
    phase = 'waiting';
    timers.start('retry', livenessDefaults.offlineRecheckMs, connect);
    if (was !== 'waiting') reports.emit('changed');
    return true;
  }

  function start(token: string | undefined): void {
    let url = urls[urlIndex % urls.length] ?? endpoint;
    if (token !== undefined && protocol.authUrl) url = protocol.authUrl(url, token);
    const current = createAttempt({ ...options, url, token, transport, poll: options.poll, probe: options.probe });
    attempt = current;
    current.on('open', () => {
      openedAt = Date.now();
      everOpened = true;
      setPhase('open');
      timers.start('healthy', healthyAfterMs, checkHealthy);
      reports.emit('open');
    });
    current.on('firstFrame', () => {
      failures = 0;
      if (options.probe) return healthy();
      if (Date.now() - openedAt >= healthyAfterMs) checkHealthy();
    });
    current.on('items', (items, raw, handled) => reports.emit('items', items, raw, handled));
    current.on('rtt', (ms) => reports.emit('rtt', ms));
    current.on('refused', (error) => {
      reports.emit('refused', error);
      authRefused();
    });
    current.on('ended', (error, info) => {
      attempt = undefined;
      if (phase !== 'open' || !current.gotFrame) failures++;
      fail(error, info, current.refusedByClose(info.code), current.takeRetryAfter(), current.gotFrame);
    });
  }

  function healthy(): void {
    stop();
    reports.emit('healthy');
  }

  function checkHealthy(): void {
    if (phase !== 'open' || !attempt?.gotFrame) return;
    timers.stop('healthy');
    attempts = 0;
    authRefusals = 0;
  }

  function fail(
    error: DashwireError,
    info: CloseInfo | undefined,
    refused: boolean,
    toldMs = 0,
    gotFrame = false,
  ): void {
    timers.stop('healthy');
    const next = afterFailure({
      error,
      info,
      protocol,
      reconnect: options.probe ? false : reconnect,
      attempts,
      toldMs,
      refused,
      random: options.random,
    });
    if (next.kind === 'stop') return giveUp(next.error);
    if (next.kind === 'refresh') return authRefused();
    attempts++;
    if (urls.length > 1 && !gotFrame) urlIndex++;
    // The phase changes silently: the owner learns of it from `down`, together with the error.
    phase = 'waiting';
    // A hidden tab keeps reconnecting, more slowly (livenessDefaults.hiddenBackoffFactor).
    const delayMs = Math.min(maxTimerMs, hiddenDelay(next.delayMs, options.isHidden()));
    timers.start('retry', delayMs, connect, true); // ref'd: a Node bot waiting to reconnect must stay alive
    reports.emit('down', error, delayMs);
  }

  function authRefused(): void {
    authRefusals++;
    if (authRefusals >= 2)
      return giveUp(new DashwireError('auth_failed', 'The server refused the credentials, also after a token refresh'));
    refreshToken = true;
    timers.stop('healthy');
    abandon(1000, 'auth refresh');
    phase = 'waiting';
    reports.emit(
      'down',
      new DashwireError('auth_failed', 'The server refused the credentials; refreshing the token'),
      0,
    );
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
    timers.clear();
    tokenRequest++;
    phase = 'stopped';
    abandon(1000, 'client closed');
  }

  function abandon(code: number, reason: string): void {
    const old = attempt;
    attempt = undefined;
    if (old) closing = old.abandon(code, reason);
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
      return options.poll !== undefined;
    },
    get serverVersion() {
      return attempt?.serverVersion;
    },
    connect,
    send: (frame) => phase === 'open' && attempt !== undefined && attempt.send(frame),
    check(timeoutMs) {
      attempt?.check(timeoutMs);
    },
    retryNow() {
      if (phase === 'waiting') connect();
    },
    async close() {
      // Detached first: the owner is done with this connection and hears nothing more from it.
      reports.clear();
      stop();
      await closing;
    },
  };
}
