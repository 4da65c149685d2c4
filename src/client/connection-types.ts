import type { DashwireError } from '../errors.js';
import type { PollCodec } from '../protocol/poll-codec.js';
import type { Inbound, PollChannel, Protocol } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import type { ResolvedReconnectOptions } from './backoff.js';
import type { HeartbeatTiming } from './heartbeat.js';
import type { Reports } from './reports.js';
import type { TokenSource } from './token.js';

// The contract of one endpoint's connection (connection.ts implements it): what it is made
// with, the commands it takes and what it reports to its owner (endpoints.ts).

/** Where one endpoint's connection is in its life. */
export type ConnectionPhase = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

/**
 * Where a socket's decoded items go, once per frame: the items that are not control frames, the
 * text an `invalid` report quotes, and how many protocol items the socket's session took.
 */
export type FrameSink = (items: readonly Inbound[], raw: string, handled: number) => void;

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
  /**
   * The receive path the frames go to. A command, not a report: it runs per frame, so frames
   * skip the report hop at each layer (attempt → connection → endpoints → client), and an
   * abandoned attempt delivers nothing (it reads no frame once it ended).
   */
  readonly deliver: FrameSink;
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
