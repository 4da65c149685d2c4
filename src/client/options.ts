import type { EventCatalog, EventName, EventPayload } from '../events.js';
import type { HeartbeatOptions, Protocol } from '../protocol/types.js';
import type { WebSocketConstructor } from '../transport/websocket.js';
import type { Transport } from '../transport/types.js';
import type { FallbackStrategy } from './fallback.js';
import type { ReconnectOptions } from './backoff.js';
import type { ValidationOptions } from './validate.js';
import type { Client } from './types.js';
import type { GapInfo } from './message-types.js';
import type { SnapshotSource } from './store-types.js';
import type { ShareOptions } from '../share/options.js';

/** Why the token provider is asked. @category Client */
export interface TokenRequest {
  /** `connect` on every (re)connect; `refresh` after the server refused the last token. */
  readonly reason: 'connect' | 'refresh';
}

/**
 * What a token provider returns: the token, or the token with when it expires (a Date or unix
 * ms). Without `expiresAt`, a JWT's `exp` claim is read. @category Client
 */
export type TokenResult = string | { readonly token: string; readonly expiresAt?: number | Date };

/** Authentication. @category Client */
export interface AuthOptions {
  /**
   * Returns a fresh token; asked on every (re)connect, single-flight (concurrent
   * sockets share one call). The token is never logged, put in errors or stats.
   * A token already expired (its `expiresAt`, else a JWT's `exp`, within 5 s) is never used:
   * the provider is asked again with `reason: 'refresh'` first.
   */
  readonly token: (request: TokenRequest) => TokenResult | Promise<TokenResult>;
}

/**
 * Options of {@link createClient}.
 * @category Client
 */
export interface ClientOptions<E extends EventCatalog> {
  /** WebSocket URL of the feed. */
  readonly url?: string;
  /** Several URLs, tried in turn on failures (e.g. regions). */
  readonly urls?: readonly string[];
  /** The server's protocol. @default native() */
  readonly protocol?: Protocol<E>;
  /** Reconnection policy; `false` disables reconnecting. */
  readonly reconnect?: ReconnectOptions | false;
  /** Heartbeat timing (the protocol decides the frame); `false` disables it. @default the protocol's */
  readonly heartbeat?: Partial<HeartbeatOptions> | false;
  /**
   * Fallback when WebSockets fail: `polling({ url, intervalMs, afterFailures })`. Off unless given
   * (and then not bundled).
   */
  readonly fallback?: FallbackStrategy;
  readonly auth?: AuthOptions;
  /** WebSocket implementation to use. @default globalThis.WebSocket, else the `ws` package in Node (an optional peer) */
  readonly WebSocket?: WebSocketConstructor;
  /** A custom transport; replaces the WebSocket transport. */
  readonly transport?: Transport;
  /** Connect on the first `subscribe()` or `on()` instead of at once. @default false */
  readonly lazy?: boolean;
  /** Frames longer than this are rejected before parsing, in bytes. @default 1048576 */
  readonly maxMessageBytes?: number;
  /** Outgoing messages kept while disconnected; beyond it `send()` returns false. @default 100 */
  readonly maxQueue?: number;
  /** Key functions for `latest()`, overriding the protocol's. */
  readonly keys?: { readonly [K in EventName<E>]?: (payload: EventPayload<E, K>) => string };
  /** Refuse `ws://` and `http://` URLs. @default false */
  readonly requireSecure?: boolean;
  /** Keep a wire subscription this long after its last handle is released, in ms (absorbs React StrictMode remounts). @default 0 */
  readonly unsubscribeDelayMs?: number;
  /** Runs when a gap is detected (events the server could not replay); the channel's live events wait until it settles. */
  readonly resync?: (gap: GapInfo) => void | Promise<void>;
  /**
   * How long one connection attempt may wait for its handshake (WebSocket upgrade, or the
   * first poll answer), in ms; then it fails with `connect_timeout` and is retried with the
   * usual backoff (and counts toward `fallback.afterFailures`). Catches a backend that accepts
   * TCP and never answers, e.g. hung behind a load balancer, which would otherwise leave the
   * client `connecting` forever.
   *
   * Why 10 s: partysocket's 4 s gives up on handshakes that are slow but working (DNS, TCP and
   * TLS on a congested mobile link with a 1 s round trip already take ~4 s); socket.io's 20 s
   * leaves a dashboard frozen on `connecting` for longer than users wait. 10 s is over twice
   * such a slow handshake, and with the default `afterFailures: 3` a client behind a hung
   * proxy is polling within about half a minute.
   * @default 10000
   */
  readonly connectTimeoutMs?: number;
  /** Timeout of the liveness probe sent on `visibilitychange`, `pageshow` and `online`, in ms. @default 3000 */
  readonly probeTimeoutMs?: number;
  /**
   * Where `subscribe(…, { snapshot: true })` gets a channel's current state, e.g. your REST API:
   * `({ channel, params, signal }) => fetch(…).then((r) => r.json())`, resolving to
   * `[{ type, data }, …]` or `{ seq, items }`. @default the protocol's snapshot endpoint, if any
   */
  readonly snapshot?: SnapshotSource;
  /**
   * A channel is `stale` after this long without an event, in ms: one number, or one per channel.
   * @default 3 × the median inter-arrival time of the channel's last 20 events, at least 5000 (30000 until 3 intervals were seen)
   */
  readonly staleAfterMs?: number | { readonly [channel: string]: number };
  /** Random source for jitter (tests, simulations). @default Math.random */
  readonly random?: () => number;
  /** How schemas are checked: compiled by zod where allowed (docs/validation.md). @default { compile: true } */
  readonly validation?: ValidationOptions;
  /**
   * One connection for all same-origin tabs with the same URL, protocol name and identity:
   * `share: tabs({ identity, worker })`, in a SharedWorker, else in a leader tab (see
   * docs/sharing.md). Same API; `stats().share` says where the connection lives. A value the
   * app passes, like `fallback`: an app that does not share does not bundle the sharing code.
   */
  readonly share?: ShareStrategy;
  /**
   * Last seq seen per channel: the first subscribe to such a channel asks for what followed
   * (`since`, resumable protocols), and a server that cannot replay it reports a `gap`.
   * Sharing passes it when another tab or worker takes a connection over.
   */
  readonly resume?: Readonly<Record<string, number>>;
}

/** Client defaults. @category Client */
export const clientDefaults = {
  maxMessageBytes: 1_048_576,
  maxQueue: 100,
  unsubscribeDelayMs: 0,
  probeTimeoutMs: 3_000,
  connectTimeoutMs: 10_000,
  hiddenTimeoutFactor: 3,
} as const;

/**
 * What `share` takes; made by `tabs()`.
 * @category Sharing
 */
export interface ShareStrategy {
  readonly kind: 'tabs';
  /** The options given to `tabs()`. */
  readonly options: ShareOptions;
  /**
   * Builds the tab's side of the shared connection for these client options.
   * @internal
   */
  start<E extends EventCatalog>(options: ClientOptions<E>): Client<E>;
}
