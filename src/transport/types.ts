import type { DashwireError } from '../errors.js';
import type { Inbound, PollChannel, Protocol } from '../protocol/types.js';

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
  /** One text frame. Binary frames are decoded as UTF-8 by the transport. */
  onMessage(frame: string): void;
  /** Called exactly once per connection, whatever ended it. */
  onClose(info: CloseInfo): void;
  /**
   * Items a transport decoded itself (the polling transport decodes REST bodies with the
   * protocol's `polling.decode`); `raw` is the body, for `invalid` reports.
   */
  onInbound(items: Inbound[], raw: string): void;
  /** A transport-level error; `onClose` follows. */
  onError(error: DashwireError): void;
}

/** What the client gives a transport for one connection attempt. @category Transport */
export interface ConnectRequest {
  readonly url: string;
  readonly handlers: ConnectionHandlers;
  /** The protocol in use: the polling transport reads its `polling` spec. */
  readonly protocol: Protocol;
  /** The channels that are subscribed now, with their resume cursors (used by polling). */
  readonly channels: () => readonly PollChannel[];
  /**
   * The `auth.token()` of this attempt, when the app configured auth. The polling transport
   * sends it as `Authorization: Bearer`; WebSocket transports leave it to the protocol's auth frame.
   */
  readonly token?: string;
}

/** One live connection. @category Transport */
export interface Connection {
  /**
   * True when the transport follows `channels()` itself (polling): the client then sends
   * no subscribe frames and counts subscriptions as confirmed once open.
   */
  readonly managesChannels?: boolean;
  /** Sends one text frame. Only called after `onOpen`. */
  send(frame: string): void;
  /** Closes the connection; `onClose` still fires once. */
  close(code?: number, reason?: string): void;
}

/**
 * Moves frames, knows nothing of their meaning. `webSocketTransport()`,
 * `pollingTransport()`, `memoryTransport()` and any user-written transport implement it.
 * @category Transport
 */
export interface Transport {
  /** `websocket`, `polling`, `memory`, or a custom name. */
  readonly kind: string;
  /** Starts connecting; never throws: failures arrive as `onError` + `onClose`. */
  connect(request: ConnectRequest): Connection;
}
