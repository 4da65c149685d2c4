import { DashwireError } from '../errors.js';
import { unrefTimer } from '../timers.js';
import { scrubError } from './redact.js';
import type { Connection, ConnectRequest, Transport } from './types.js';

/** The subset of the WHATWG WebSocket that dashwire uses. @category Transport */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  /** Sends one text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Set by the transport: the socket opened. */
  onopen: ((event: unknown) => void) | null;
  /** Set by the transport: one frame arrived. */
  onmessage: ((event: { data: unknown }) => void) | null;
  /** Set by the transport: the socket closed. */
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
  /** Set by the transport: a socket error (a close follows). */
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket constructor: the browser's, `ws`, mock-socket… @category Transport */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** Options of {@link webSocketTransport}. @category Transport */
export interface WebSocketTransportOptions {
  /** WebSocket implementation. @default globalThis.WebSocket, else the `ws` package in Node (an optional peer) */
  readonly WebSocket?: WebSocketConstructor;
  /** Sub-protocols to request. */
  readonly protocols?: string | string[];
}

const decoder = /* @__PURE__ */ (() => (typeof TextDecoder === 'function' ? new TextDecoder() : undefined))();

function frameText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (!decoder) return undefined;
  if (data instanceof ArrayBuffer) return decoder.decode(data);
  if (ArrayBuffer.isView(data)) return decoder.decode(data);
  return undefined;
}

/**
 * isomorphic-ws or `ws` from the app's node_modules, or `undefined`. Loaded on demand with a synchronous require so
 * the core has no import a browser bundler must resolve (browser-only apps install neither);
 * `process.getBuiltinModule` exists in Node ≥ 20.16 only, so nothing here runs in a browser.
 */
function nodeWebSocket(): WebSocketConstructor | undefined {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof getBuiltin !== 'function') return undefined;
  try {
    const { createRequire } = getBuiltin('node:module') as { createRequire: (from: string) => (id: string) => unknown };
    const load = createRequire(import.meta.url);
    // isomorphic-ws first (the package an isomorphic app already depends on), then plain ws.
    for (const id of ['isomorphic-ws', 'ws']) {
      const Impl = webSocketExport(load, id);
      if (Impl) return Impl;
    }
  } catch {
    // no module system to load from
  }
  return undefined;
}

/** The WebSocket class a package exports (default or named), or `undefined` when it is not installed. */
function webSocketExport(load: (id: string) => unknown, id: string): WebSocketConstructor | undefined {
  try {
    const module = load(id) as { WebSocket?: unknown; default?: unknown };
    const Impl = [module, module.WebSocket, module.default].find((candidate) => typeof candidate === 'function');
    return Impl as WebSocketConstructor | undefined;
  } catch {
    return undefined;
  }
}

/** Picks the injected WebSocket, the runtime's, then isomorphic-ws or `ws` in Node; `undefined` when none exists. */
export function resolveWebSocket(injected?: WebSocketConstructor): WebSocketConstructor | undefined {
  if (injected) return injected;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global === 'function') return global;
  return nodeWebSocket();
}

/** Said when no WebSocket exists: in Node < 22 that means the optional `ws` peer is missing. */
export const noWebSocketMessage =
  'No WebSocket in this runtime: in Node < 22 install the `ws` package (or `isomorphic-ws`), or pass `WebSocket`';

/**
 * What the runtime says went wrong, for the `connect_failed` message: `ws` puts the OS reason on
 * the event (`connect ECONNREFUSED 127.0.0.1:23999`), Node's built-in WebSocket on `error.cause`;
 * browsers say nothing on purpose. Scrubbed: the URL's query (a token) never reaches the message.
 */
function socketErrorDetail(event: unknown, url: string): string | undefined {
  try {
    const error = (event as { error?: { message?: unknown; cause?: { message?: unknown } } } | null)?.error;
    const detail = error?.cause?.message || error?.message || (event as { message?: unknown } | null)?.message;
    return typeof detail === 'string' && detail ? scrubError(detail, url).message : undefined;
  } catch {
    return undefined;
  }
}

const OPEN = 1;
/** How long close() waits for the close handshake before dropping the socket, in ms. */
const closeGraceMs = 1_000;

/**
 * Transport over WebSocket, in browsers and Node alike.
 * @category Transport
 */
export function webSocketTransport(options: WebSocketTransportOptions = {}): Transport {
  return {
    kind: 'websocket',
    connect({ url, handlers }: ConnectRequest): Connection {
      let closed = false;
      let closing = false;
      const finish = (code: number, reason: string, wasClean: boolean): void => {
        if (closed) return;
        closed = true;
        handlers.onClose({ code, reason, wasClean });
      };
      const Impl = resolveWebSocket(options.WebSocket);
      if (!Impl) {
        queueMicrotask(() => {
          handlers.onError(new DashwireError('no_websocket', noWebSocketMessage));
          finish(1006, 'no WebSocket', false);
        });
        return { send() {}, close() {} };
      }
      let socket: WebSocketLike;
      try {
        socket = options.protocols === undefined ? new Impl(url) : new Impl(url, options.protocols);
      } catch (cause) {
        queueMicrotask(() => {
          // The thrown error quotes the URL, which may carry a token: surface a scrubbed copy.
          handlers.onError(
            new DashwireError('invalid_url', `Cannot open a WebSocket to this URL`, { cause: scrubError(cause, url) }),
          );
          finish(1006, 'invalid URL', false);
        });
        return { send() {}, close() {} };
      }
      socket.binaryType = 'arraybuffer';
      // Listeners are detached on close so a dead socket can never reach the client again.
      const detach = (): void => {
        socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      };
      socket.onopen = () => handlers.onOpen();
      socket.onmessage = (event) => {
        if (closing) return;
        const text = frameText(event.data);
        handlers.onMessage(text ?? '\u0000binary frame that is not UTF-8 text');
      };
      socket.onerror = (event) => {
        const detail = socketErrorDetail(event, url);
        handlers.onError(
          new DashwireError('connect_failed', detail ? `WebSocket error: ${detail}` : 'WebSocket error'),
        );
      };
      socket.onclose = (event) => {
        detach();
        clearTimeout(forceTimer);
        finish(event.code, event.reason, event.wasClean);
      };
      let forceTimer: ReturnType<typeof setTimeout> | undefined;
      return {
        send(frame) {
          if (!closing && socket.readyState === OPEN) socket.send(frame);
        },
        close(code = 1000, reason = '') {
          if (closed || closing) return;
          closing = true;
          try {
            socket.close(code, reason);
          } catch {
            // Some implementations refuse a code while CONNECTING; close plainly instead.
            try {
              socket.close();
            } catch {
              /* already closing */
            }
          }
          // A peer that never answers the close handshake must not keep close() waiting.
          forceTimer = setTimeout(() => {
            detach();
            (socket as { terminate?: () => void }).terminate?.();
            finish(code, reason, false);
          }, closeGraceMs);
          unrefTimer(forceTimer);
        },
      };
    },
  };
}
