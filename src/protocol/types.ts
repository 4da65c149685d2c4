import type { EventCatalog, EventName, EventPayload } from '../events.js';
import type { CloseInfo } from '../transport/types.js';

/** Parameters of a subscription: plain JSON values. @category Protocol */
export type SubscriptionParams = { readonly [key: string]: unknown };

/** Why a frame or a message was rejected. @category Events */
export type InvalidReason =
  | 'malformed' // not JSON, or not the envelope the protocol expects
  | 'oversize' // longer than maxMessageBytes; rejected before parsing
  | 'schema'; // the payload failed its zod schema

/**
 * One thing a frame decoded into. A frame may carry zero, one or several.
 * @category Protocol
 */
export type Inbound =
  | {
      readonly kind: 'event';
      /** Message type, looked up in the protocol's catalogue. */
      readonly type: string;
      /** The payload to validate against `events[type]`. */
      readonly data: unknown;
      /** Channel the event belongs to, when the wire says so. */
      readonly channel?: string;
      /** Per-channel sequence number (native protocol); enables resume and de-duplication. */
      readonly seq?: number;
    }
  | {
      readonly kind: 'welcome';
      readonly session?: string;
      readonly heartbeatMs?: number;
      /**
       * Protocol version the server speaks (native: `"1.1"`). A server that announces none is
       * taken to end every subscription of a channel on unsubscribe (native 1.0).
       */
      readonly version?: string;
      readonly data?: unknown;
    }
  | {
      readonly kind: 'ack';
      readonly id?: number;
      readonly channel?: string;
      readonly recovered?: boolean;
      /** The channel's current position, for a subscriber that has none yet (polling "from now"). */
      readonly seq?: number;
    }
  | {
      readonly kind: 'error';
      readonly id?: number;
      readonly channel?: string;
      readonly code: string;
      readonly message: string;
      /** Server-directed backoff: do not reconnect sooner than this. */
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'pong'; readonly id?: number }
  | {
      readonly kind: 'malformed';
      readonly detail: string;
      /** Set by a transport that refused a body over `maxMessageBytes` without parsing it. */
      readonly reason?: 'oversize';
      /**
       * The envelope of a rejected event, when readable: its seq still counts as consumed
       * (the server will not send it again, so it must not become a gap or be asked for again).
       */
      readonly channel?: string;
      readonly seq?: number;
      readonly type?: string;
    };

/** The envelope of an event frame: where it belongs in the server's seq stream. @category Protocol */
export interface Envelope {
  readonly channel?: string;
  readonly seq?: number;
  readonly type?: string;
}

/** What the client asks a protocol to encode for a subscription. @category Protocol */
export interface SubscribeRequest {
  readonly id: number;
  readonly channel: string;
  readonly params: SubscriptionParams;
  /** Last sequence number seen on this channel, when resuming. */
  readonly since?: number;
}

/** Heartbeat timing. @category Protocol */
export interface HeartbeatOptions {
  /**
   * How long the connection may be quiet before the client probes it (sends a ping
   * when the protocol has one), in ms. 0 disables the heartbeat.
   */
  readonly intervalMs: number;
  /** How long to wait for any frame after a probe before declaring the connection dead, in ms. */
  readonly timeoutMs: number;
  /**
   * Timeout used while `document.hidden` (browsers throttle timers in background tabs), in ms.
   * @default 3 × timeoutMs
   */
  readonly hiddenTimeoutMs?: number;
}

/** One HTTP request the polling transport makes for a set of channels. @category Protocol */
export interface PollRequest {
  /** Stable identity of the request; cursors and ETags are kept per key. */
  readonly key: string;
  readonly url: string;
  /** Channels this request serves (for routing and cursors). */
  readonly channels: readonly string[];
}

/** A channel as the polling transport sees it. @category Protocol */
export interface PollChannel {
  readonly channel: string;
  readonly params: SubscriptionParams;
  /** Native: the last seq delivered, so the server resumes after it. */
  readonly since?: number;
}

/** Limits the polling transport asks a server to respect. @category Protocol */
export interface PollLimits {
  /** The client's `maxMessageBytes`: a larger body is rejected unread, so a server should page below it. */
  readonly maxBytes?: number;
}

/**
 * A decoded poll response that says whether more is waiting: with `more`, the transport polls
 * again at once (with the cursors the items advanced) instead of after the interval.
 * @category Protocol
 */
export interface PollPage {
  readonly items: Inbound[];
  readonly more?: boolean;
}

/** How a protocol maps subscriptions to REST polling. @category Protocol */
export interface PollingSpec {
  /** Default poll interval, in ms. */
  readonly intervalMs: number;
  /** The requests to make for the active channels, against a base HTTP URL. */
  requests(baseUrl: string, channels: readonly PollChannel[], limits?: PollLimits): PollRequest[];
  /**
   * Decodes one response body into inbound items (events carry channel and, for native, seq).
   * An `error` item naming a `channel` refuses that channel alone: the transport stops polling it
   * and keeps polling the others.
   */
  decode(body: string, request: PollRequest): Inbound[] | PollPage;
  /**
   * For snapshot endpoints: a key that identifies an event's content, so an unchanged snapshot
   * does not re-emit. Omit when the server returns only new events (cursor-based).
   */
  dedupeKey?(event: Extract<Inbound, { kind: 'event' }>): string;
}

/**
 * How a protocol fetches a channel's current state over REST (snapshot, then stream). The
 * client GETs `url(...)` and reads the body with `decode`; 404, 405 and 501 mean the server
 * has no snapshot endpoint (it is optional for native servers, docs/protocol.md §14).
 * @category Protocol
 */
export interface SnapshotSpec {
  /** The URL to GET for a channel, against a base HTTP URL. */
  url(baseUrl: string, channel: string, params: SubscriptionParams): string;
  /** The response body as items (events in the catalogue's shape), with the position it covers (native `seq`). */
  decode(
    body: string,
    channel: string,
  ):
    { readonly seq?: number; readonly items: readonly { readonly type: string; readonly data: unknown }[] } | undefined;
}

/**
 * Meaning, not sockets: how frames become {@link Inbound} items, how subscriptions,
 * pings and auth are encoded, and the schema of every message type.
 * Protocols are pure: no timers, no I/O.
 * @category Protocol
 */
export interface Protocol<E extends EventCatalog = EventCatalog> {
  /** Short name, used in logs and the CLI (`native`, `ares`, …). */
  readonly name: string;
  /** A zod schema for every message type the server sends. */
  readonly events: E;
  /** The server's well-known channels (the CLI and demo subscribe to all of them by default). */
  readonly channels?: readonly string[];
  /** Turns one text frame into zero or more inbound items. Must not throw. */
  decode(frame: string): Inbound[];
  /**
   * Reads the envelope of a frame too large to parse (over `maxMessageBytes`) without parsing
   * it, so the rejected event still consumes its seq. Undefined when it is not one event.
   */
  peekEnvelope?(frame: string): Envelope | undefined;
  /** Subscribe frame, or `null` when channels are a client-side filter. */
  encodeSubscribe(request: SubscribeRequest): string | null;
  /** Unsubscribe frame, or `null` when nothing goes on the wire. */
  encodeUnsubscribe(request: SubscribeRequest): string | null;
  /**
   * Whether, on this server, an unsubscribe frame ends every subscription of its channel rather
   * than the one it names (`version` is the welcome's). The client then subscribes the channel's
   * remaining variants again, with `since`, so none goes silent. Native: servers before 1.1.
   * @default never
   */
  unsubscribeEndsChannel?(version: string | undefined): boolean;
  /** Ping frame, or `null` when the protocol has no application ping (idle watchdog only). */
  encodePing(id: number): string | null;
  /** First frame after open carrying the token, or `null` when the token goes elsewhere. */
  encodeAuth?(token: string): string | null;
  /** Puts the token into the URL, for servers that read it there. The docs of such a protocol say so. */
  authUrl?(url: string, token: string): string;
  /** Default heartbeat timing for this server. */
  readonly heartbeat: HeartbeatOptions;
  /** Whether the server acknowledges subscribe frames (`ack` items); otherwise a sent frame counts as subscribed. */
  readonly acks: boolean;
  /** Whether `event` items carry a per-channel `seq` that supports `since` resume. */
  readonly resumable: boolean;
  /**
   * Servers with one URL per feed: the endpoint a channel lives on. Without it, every channel
   * shares the client's URL.
   */
  endpointFor?(baseUrl: string, channel: string, params: SubscriptionParams): string;
  /**
   * Client-side routing: does this event belong to the subscription with these params? Events
   * that name a channel go to that channel's subscriptions whose params match; events without
   * a channel (servers that know no channels) to every subscription that matches. `client.on`
   * sees every event either way. Without it, every subscription of the channel gets them all.
   */
  matches?(channel: string, params: SubscriptionParams, type: string, data: unknown): boolean;
  /** Key functions for `client.latest(type, key)`, per message type. */
  readonly keys?: { readonly [K in EventName<E>]?: (payload: EventPayload<E, K>) => string };
  /** Close codes after which reconnecting cannot help (bad request, forbidden…). */
  readonly fatalCloseCodes?: readonly number[];
  /**
   * Server-directed backoff carried by a close frame, in ms (undefined: none). Without this
   * hook the client reads `retry-after=<seconds>` anywhere in the close reason.
   */
  retryAfterFromClose?(info: CloseInfo): number | undefined;
  /** Close codes and error codes that mean the credentials were refused. */
  readonly authFailure?: { readonly closeCodes?: readonly number[]; readonly errorCodes?: readonly string[] };
  /** How to reach the same feed over REST polling, when the server has such endpoints. */
  readonly polling?: PollingSpec;
  /**
   * Where a channel's current state can be fetched (`subscribe(…, { snapshot: true })`). Without
   * it, a polling spec with `dedupeKey` (REST endpoints that return the current state) serves.
   */
  readonly snapshot?: SnapshotSpec;
}
