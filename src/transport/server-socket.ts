/**
 * The server side of one connection, as the feed engine sees it: the same
 * shape whether it comes from `ws`, mock-socket or the in-memory transport. It lives with the
 * transports because the in-memory transport hands its far end to a server in this shape.
 * @category Mock server
 */
export interface ServerSocket {
  /** The URL path the client connected to (`/ws`, `/ws/earnings`…), without the query. */
  readonly path: string;
  /** Query parameters of the connection URL. */
  readonly query: URLSearchParams;
  /** Sends one text frame to the client. */
  send(frame: string): void;
  /** Closes the connection with a close frame. */
  close(code?: number, reason?: string): void;
  /** Drops the connection without a close frame (a dead peer). */
  terminate(): void;
  /** Set by the engine: one inbound text frame. */
  onMessage: ((frame: string) => void) | null;
  /** Set by the engine: the connection ended. */
  onClose: ((code: number, reason: string) => void) | null;
}
