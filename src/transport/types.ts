import type { DashwireError } from '../errors.js';

/** How a connection ended. @category Transport */
export interface CloseInfo {
  /** WebSocket close code (1006 when the connection dropped without a close frame). */
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** Callbacks a transport calls on a connection's events. @category Transport */
export interface ConnectionHandlers {
  /** The connection is open; `send` may be called from now on. */
  onOpen(): void;
  /**
   * One text frame (binary frames are decoded as UTF-8 by the transport). A polling transport
   * hands up each response body, with the `key` of the request it answers as `source`.
   */
  onMessage(frame: string, source?: string): void;
  /** Called exactly once per connection, whatever ended it. */
  onClose(info: CloseInfo): void;
  /** A transport-level error; `onClose` follows. */
  onError(error: DashwireError): void;
}

/** One HTTP GET a polling transport makes. @category Transport */
export interface HttpRequest {
  /** Stable identity of the request (ETags are kept per key; bodies are handed up with it). */
  readonly key: string;
  readonly url: string;
}

/** What a polling transport fetches next (see {@link ConnectRequest.poll}). @category Transport */
export interface PollPlan {
  readonly requests: readonly HttpRequest[];
  /** Poll again at once rather than after the interval (a backlog is being paged through). */
  readonly immediate?: boolean;
}

/** What the client gives a transport for one connection attempt. @category Transport */
export interface ConnectRequest {
  readonly url: string;
  readonly handlers: ConnectionHandlers;
  /**
   * The `auth.token()` of this attempt, when the app configured auth. The polling transport
   * sends it as `Authorization: Bearer`; WebSocket transports leave it to the protocol's auth frame.
   */
  readonly token?: string;
  /**
   * For polling transports: the requests of the next round, asked before every round (the
   * cursors move as bodies are handled) and after one, to learn whether the next goes at once.
   * WebSocket transports ignore it.
   */
  readonly poll?: () => PollPlan;
}

/** One live connection. @category Transport */
export interface Connection {
  /** Sends one text frame. Only called after `onOpen`. */
  send(frame: string): void;
  /** Closes the connection; `onClose` still fires once. */
  close(code?: number, reason?: string): void;
}

/**
 * Moves bytes, knows nothing of their meaning: no protocol, no decoded items.
 * `webSocketTransport()`, `pollingTransport()`, `memoryTransport()` and any user-written
 * transport implement it.
 * @category Transport
 */
export interface Transport {
  /** `websocket`, `polling`, `memory`, or a custom name. */
  readonly kind: string;
  /** Starts connecting; never throws: failures arrive as `onError` + `onClose`. */
  connect(request: ConnectRequest): Connection;
}
