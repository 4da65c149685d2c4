import type { SubscriptionParams } from '../protocol/types.js';

/**
 * One event the engine published. Every dialect encodes it in its own wire shape;
 * `channel` and `seq` exist even for servers whose wire has neither.
 * @category Mock server
 */
export interface FeedEvent {
  readonly channel: string;
  /** Per-channel sequence number, from 1. */
  readonly seq: number;
  readonly type: string;
  readonly data: unknown;
  /** When it was published, unix ms. */
  readonly ts: number;
}

/** What a synthetic feed produces: an event before the engine numbers it. @category Mock server */
export interface FeedItem {
  readonly channel: string;
  readonly type: string;
  readonly data: unknown;
}

/** A synthetic feed: each call returns the next realistic event. @category Mock server */
export type FeedSource = (now: number) => FeedItem;

/** Decides whether a client may connect: the token it presented, accepted or not. @category Mock server */
export type AuthCheck = (token: string) => boolean | Promise<boolean>;

/**
 * A connected client as a dialect sees it. Frames sent through it pass the engine's
 * faults (delay, silence); per-connection protocol state belongs in the dialect's own WeakMap.
 * @category Mock server
 */
export interface FeedClient {
  /** `c1`, `c2`…, unique within an engine; also the `clientId` of {@link ReceivedFrame}. */
  readonly id: string;
  /** URL path of the connection (`/ws`, `/ws/earnings`…). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Unix ms. */
  readonly connectedAt: number;
  /**
   * Channels this client receives and the params it asked with; the dialect keeps it current.
   * A dialect whose connections hold several subscriptions per channel (native) keeps them in its
   * own table and shows the most recent params here.
   */
  readonly subscriptions: Map<string, SubscriptionParams>;
  /** Sends one text frame to this client. */
  send(frame: string): void;
  /** Closes after every frame already sent has left (so an error frame arrives before its close). */
  close(code?: number, reason?: string): void;
  /** Drops the connection at once, without a close frame. */
  terminate(): void;
}

/** Buffered events after a cursor. @category Mock server */
export interface ReplayResult {
  /** Buffered events with `seq > since`, oldest first. */
  readonly events: readonly FeedEvent[];
  /** False when the buffer no longer reaches back to `since + 1`, or `since` is past the last seq. */
  readonly recovered: boolean;
  /** Last seq published on the channel, 0 if none. */
  readonly lastSeq: number;
  /** Seq of the oldest buffered event (`lastSeq + 1` when the buffer is empty). */
  readonly firstSeq: number;
}

/** An HTTP request, stripped of transport. Header names are lower case. @category Mock server */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An HTTP response, before transport. @category Mock server */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the engine offers a dialect. @category Mock server */
export interface DialectHost {
  /** Numbers, buffers and delivers an event (as the app's `publish`). */
  publish(channel: string, type: string, data: unknown): FeedEvent;
  /** Events of `channel` after `since`, from the replay buffer. */
  replay(channel: string, since: number): ReplayResult;
  /** Every connected client. */
  clients(): readonly FeedClient[];
  /** The engine's clock, unix ms (fake timers move it). */
  now(): number;
  /** The app's credential check, when the server requires auth. */
  readonly auth: AuthCheck | undefined;
  /** Heartbeat interval the server advertises, in ms. */
  readonly heartbeatMs: number;
  /**
   * Whether a channel exists, by the engine's `channels` option: a dialect that refuses unknown
   * channels asks this. Absent on hosts that accept every channel.
   */
  knowsChannel?(channel: string): boolean;
}

/**
 * A server wire protocol for the feed engine: the native protocol, or one preset's backend.
 * Sockets, buffers, seq numbers and faults belong to the engine; a dialect only says what
 * the frames look like and who gets what. Methods must not throw for bad client input:
 * answer it the way that server would.
 * @category Mock server
 */
export interface ServerDialect {
  /** Registry name: `native`, `ares`, … */
  readonly name: string;
  /** WebSocket endpoint paths; the first is the main one (the mock server's `url`). */
  readonly paths: readonly string[];
  /** The channels this backend declares (what the engine accepts by default). @default none declared: any channel */
  readonly channels?: readonly string[];
  /** A client connected on one of `paths`: send a welcome, or wait for credentials. */
  open(client: FeedClient, host: DialectHost): void;
  /** One text frame from a client (subscribe, unsubscribe, ping, auth… in this dialect's shape). */
  message(client: FeedClient, frame: string, host: DialectHost): void;
  /** The client is gone; drop any per-client state. */
  closed?(client: FeedClient): void;
  /** Whether a client receives a live event: by channel subscription, endpoint, or everyone. */
  receives(client: FeedClient, event: FeedEvent): boolean;
  /** An event as this dialect's wire frame. */
  encode(event: FeedEvent, client: FeedClient): string;
  /** A synthetic feed that, over time, emits every message type of this dialect. */
  feed(random: () => number): FeedSource;
  /** Extra HTTP routes (REST polling, test endpoints); `undefined` when the path is not one. A promise when the answer waits for an async auth check. */
  http?(request: HttpRequest, host: DialectHost): HttpResponse | Promise<HttpResponse> | undefined;
}

/** Builds a fresh dialect, with its own per-client state, for one engine. @category Mock server */
export type DialectFactory = () => ServerDialect;

/** A JSON response with the given status. @category Mock server */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
