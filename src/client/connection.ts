import { DashwireError } from '../errors.js';
import { deferSyncCallbacks } from '../transport/deferred.js';
import type { CloseInfo } from '../transport/types.js';
import { createAttempt, type Attempt } from './attempt.js';
import type { Connection, ConnectionOptions, ConnectionPhase, ConnectionReports } from './connection-types.js';
import { hiddenDelay, livenessDefaults } from './liveness.js';
import { maxTimerMs } from '../timers.js';
import { Reports } from './reports.js';
import { afterFailure } from './retry.js';
import { TimerSet } from './timer-set.js';

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
