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

/**
 * One endpoint's connection and its reconnect loop. Every attempt gets a fresh
 * id; callbacks of an older attempt are ignored, so a dead socket can never
 * change the state of its successor.
 */
export class Link {
  state: LinkState = 'waiting';
  /** Consecutive attempts that failed (the backoff exponent). Reset only by a healthy connection. */
  attempts = 0;
  /** Consecutive failures as the fallback counts them: refused, closed before the first frame, or silent. */
  failures = 0;
  /** Ever been open (so the next connect is a *re*connect). */
  everOpened = false;
  /** Ms the server told us to wait before reconnecting (retry-after). */
  retryAfterMs = 0;
  /** Force the next token request to be a refresh (the last one was refused). */
  refreshToken = false;
  /** Consecutive auth refusals; two in a row stop the client. */
  authRefusals = 0;
  /** Token generation of this link's last token (see {@link LinkHost.tokenGeneration}). */
  private tokenGeneration = 0;
  readonly pings = new Map<number, number>();
  private attemptId = 0;
  private connection: Connection | undefined;
  private heartbeatUnit: Heartbeat | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private healthyTimer: ReturnType<typeof setTimeout> | undefined;
  private gotFrame = false;
  private openedAt = 0;
  private urlIndex = 0;
  private closeWaiters: (() => void)[] = [];
  private pendingError: DashwireError | undefined;

  constructor(
    readonly endpoint: string,
    private readonly urls: readonly string[],
    private readonly host: LinkHost,
  ) {}

  get url(): string {
    return this.urls[this.urlIndex % this.urls.length] ?? this.endpoint;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Whether the current connection follows the channel list itself (polling). */
  get managesChannels(): boolean {
    return this.connection?.managesChannels === true;
  }

  /** Starts (or restarts now) a connection attempt. */
  connect(): void {
    if (this.state === 'stopped' || this.state === 'connecting' || this.state === 'open') return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const id = ++this.attemptId;
    this.setState('connecting');
    this.gotFrame = false;
    const refresh = this.refreshToken;
    this.refreshToken = false;
    this.host.token(refresh ? 'refresh' : 'connect', this.tokenGeneration).then(
      (token) => {
        this.tokenGeneration = this.host.tokenGeneration;
        if (id === this.attemptId && this.state === 'connecting') this.open(id, token);
      },
      (cause: unknown) => {
        if (id !== this.attemptId || this.state !== 'connecting') return;
        this.fail(new DashwireError('token_failed', 'The auth token provider failed', { cause }));
      },
    );
  }

  private open(id: number, token: string | undefined): void {
    const { protocol } = this.host;
    let url = this.url;
    if (token !== undefined && protocol.authUrl) url = protocol.authUrl(url, token);
    const current = (): boolean => id === this.attemptId;
    // A transport may call back synchronously, inside connect(), before `this.connection` is
    // set (a user-written one that opens or fails at once): such callbacks wait until it is.
    let early: (() => void)[] | undefined = [];
    const handlers: ConnectionHandlers = {
      onOpen: () => {
        if (early) return void early.push(handlers.onOpen);
        if (!current() || this.state !== 'connecting') return;
        this.openedAt = Date.now();
        this.setState('open');
        this.everOpened = true;
        if (token !== undefined) {
          const auth = protocol.encodeAuth?.(token);
          if (auth) this.connection?.send(auth);
        }
        this.startHeartbeat();
        this.healthyTimer = setTimeout(() => this.checkHealthy(), this.healthyAfterMs());
        unrefTimer(this.healthyTimer);
        this.host.opened(this);
      },
      onMessage: (frame) => {
        if (early) return void early.push(() => handlers.onMessage(frame));
        if (!current() || this.state !== 'open') return;
        this.noteFrame();
        this.host.frame(this, frame);
      },
      onInbound: (items, raw) => {
        if (early) return void early.push(() => handlers.onInbound(items, raw));
        if (!current() || this.state !== 'open') return;
        this.noteFrame();
        this.host.inbound(this, items, raw);
      },
      onError: (error) => {
        if (current()) this.pendingError = error;
      },
      onClose: (info) => {
        if (early) return void early.push(() => handlers.onClose(info));
        const waiters = this.closeWaiters;
        this.closeWaiters = [];
        for (const resolve of waiters) resolve();
        if (!current()) return;
        this.connection = undefined;
        this.lost(info);
      },
    };
    const connection = this.host.transport(this).connect({ url, protocol, channels: () => this.host.channels(this), handlers });
    if (current()) this.connection = connection;
    const queued = early;
    early = undefined;
    for (const callback of queued) callback();
  }

  private healthyAfterMs(): number {
    return this.host.reconnect ? this.host.reconnect.healthyAfterMs : 5_000;
  }

  private noteFrame(): void {
    this.heartbeatUnit?.frame();
    if (!this.gotFrame) {
      this.gotFrame = true;
      this.failures = 0;
      if (Date.now() - this.openedAt >= this.healthyAfterMs()) this.checkHealthy();
    }
  }

  private checkHealthy(): void {
    if (this.state !== 'open' || !this.gotFrame) return;
    clearTimeout(this.healthyTimer);
    this.attempts = 0;
    this.authRefusals = 0;
  }

  private startHeartbeat(): void {
    const timing = this.host.heartbeatFor(this);
    if (!timing || timing.intervalMs <= 0) return;
    const { protocol } = this.host;
    this.heartbeatUnit = createHeartbeat(timing, {
      sendPing: () => {
        const id = nextPingId++;
        const frame = protocol.encodePing(id);
        if (!frame || !this.connection) return false;
        this.pings.clear();
        this.pings.set(id, Date.now());
        this.connection.send(frame);
        return true;
      },
      onDead: (silentForMs) => {
        if (this.state !== 'open') return;
        this.pendingError = new DashwireError('heartbeat_timeout', `No frame for ${silentForMs} ms: connection presumed dead`, {
          details: { silentForMs },
        });
        // Counted as a failure by lost() (no frame since open), once.
        // Terminate rather than wait for a close handshake the dead peer will never answer.
        this.drop(4000, 'heartbeat timeout');
      },
      isHidden: () => this.host.isHidden(),
    });
    this.heartbeatUnit.start();
  }

  /** Server-announced heartbeat interval (welcome). */
  setHeartbeatInterval(ms: number): void {
    this.heartbeatUnit?.setInterval(ms);
  }

  /** Immediate liveness probe (visibility, pageshow, online). */
  probe(timeoutMs: number): void {
    this.heartbeatUnit?.check(timeoutMs);
  }

  send(frame: string): boolean {
    if (this.state !== 'open' || !this.connection) return false;
    this.connection.send(frame);
    return true;
  }

  /** Ends the current connection as failed and schedules a reconnect. */
  drop(code: number, reason: string): void {
    const connection = this.connection;
    if (!connection) return;
    const id = this.attemptId;
    connection.close(code, reason);
    // The transport reports the close asynchronously; make this attempt's end take effect now.
    if (id === this.attemptId && this.connection === connection) {
      this.attemptId++;
      this.connection = undefined;
      this.lost({ code, reason, wasClean: false });
    }
  }

  private lost(info: CloseInfo): void {
    const wasOpen = this.state === 'open';
    this.stopTimers();
    if (!wasOpen || !this.gotFrame) this.failures++;
    const error =
      this.pendingError ??
      new DashwireError(wasOpen ? 'connection_lost' : 'connect_failed', wasOpen ? 'Connection lost' : 'Could not connect', {
        details: { code: info.code, reason: info.reason },
      });
    this.pendingError = undefined;
    this.fail(error, info);
  }

  private fail(error: DashwireError, info?: CloseInfo): void {
    this.stopTimers();
    const { protocol } = this.host;
    if (info && protocol.fatalCloseCodes?.includes(info.code)) {
      return this.stop(new DashwireError('fatal_close', `Server closed with ${info.code}: ${info.reason}`, { details: { code: info.code, reason: info.reason } }));
    }
    if (info && protocol.authFailure?.closeCodes?.includes(info.code)) {
      return this.authRefused();
    }
    const policy = this.host.reconnect;
    if (!policy) return this.stop(error);
    if (this.attempts >= policy.maxAttempts) {
      return this.stop(new DashwireError('max_attempts', `Gave up after ${this.attempts} attempts`, { cause: error }));
    }
    const told = Math.max(this.retryAfterMs, info ? closeRetryAfterMs(protocol, info) : 0);
    this.retryAfterMs = 0;
    const backoff = backoffDelay(this.attempts, policy, this.host.random());
    // The server's delay first, then the usual jittered backoff on top: a thousand clients told
    // the same retry-after must not all come back in the same millisecond. Clamped, because a
    // longer setTimeout fires at once (a hostile retry-after would cause a storm, not a pause).
    const delay = Math.min(maxTimerMs, told > 0 ? told + backoff : backoff);
    this.attempts++;
    if (this.urls.length > 1 && !this.gotFrame) this.urlIndex++;
    // State first, silently: the client learns of it from down(), together with the error.
    this.state = 'waiting';
    this.host.down(this, error, delay);
    if (this.state !== 'waiting') return;
    // Ref'd on purpose: a Node bot waiting to reconnect must stay alive.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, delay);
  }

  /** The server refused our credentials: refresh once, then stop. */
  authRefused(): void {
    this.authRefusals++;
    if (this.authRefusals >= 2) {
      return this.stop(new DashwireError('auth_failed', 'The server refused the credentials, also after a token refresh'));
    }
    this.refreshToken = true;
    this.stopTimers();
    if (this.connection) {
      this.attemptId++;
      this.connection.close(1000, 'auth refresh');
      this.connection = undefined;
    }
    this.state = 'waiting';
    this.host.down(this, new DashwireError('auth_failed', 'The server refused the credentials; refreshing the token'), 0);
    if (this.state === 'waiting') this.connect();
  }

  /** Stops for good (fatal error, gave up, or closed by the client). */
  stop(error?: DashwireError): void {
    if (this.state === 'stopped') return;
    this.stopTimers();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attemptId++;
    const connection = this.connection;
    this.connection = undefined;
    connection?.close(1000, 'client closed');
    if (error) {
      this.state = 'stopped';
      this.host.down(this, error, undefined);
    } else {
      this.setState('stopped');
    }
  }

  /** Stops and resolves once the transport reports the socket closed. */
  async close(): Promise<void> {
    const connection = this.connection;
    const closed = connection ? new Promise<void>((resolve) => this.closeWaiters.push(resolve)) : Promise.resolve();
    this.stop();
    await closed;
  }

  /** Retry now instead of waiting out the backoff (browser `online`). */
  retryNow(): void {
    if (this.state === 'waiting') this.connect();
  }

  private stopTimers(): void {
    this.heartbeatUnit?.stop();
    this.heartbeatUnit = undefined;
    clearTimeout(this.healthyTimer);
    this.healthyTimer = undefined;
    this.pings.clear();
  }

  private setState(next: LinkState): void {
    if (this.state === next) return;
    this.state = next;
    this.host.changed(this);
  }
}
