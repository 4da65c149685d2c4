import { DashwireError } from '../errors.js';
import type { ServerSocket } from './server-socket.js';
import type { Connection, ConnectRequest, Transport } from './types.js';

/** Receives each in-memory connection's server side. @category Transport */
export type MemoryAcceptor = (socket: ServerSocket) => void;

/** Options of {@link memoryTransport}. @category Transport */
export interface MemoryTransportOptions {
  /** Refuse connections (like a server that is down) while this returns true. */
  readonly refuse?: () => boolean;
}

/**
 * An in-process transport: each connect hands a {@link ServerSocket} to `accept`.
 * Frames are delivered asynchronously (one microtask later), in order, as a network would.
 * @category Transport
 */
export function memoryTransport(accept: MemoryAcceptor, options: MemoryTransportOptions = {}): Transport {
  return {
    kind: 'memory',
    connect({ url, handlers }: ConnectRequest): Connection {
      let state: 'connecting' | 'open' | 'closed' = 'connecting';
      // Frames already sent still arrive after a graceful close, before its close event, as
      // over TCP (a server's "error + retry-after" then close must reach the client); only an
      // abrupt end (terminate) loses frames in flight, as a reset does.
      let aborted = false;
      const parsed = safeUrl(url);
      const closeBoth = (code: number, reason: string, wasClean: boolean): void => {
        if (state === 'closed') return;
        state = 'closed';
        queueMicrotask(() => {
          handlers.onClose({ code, reason, wasClean });
          server.onClose?.(code, reason);
        });
      };
      const server: ServerSocket = {
        path: parsed?.pathname ?? '/',
        query: parsed?.searchParams ?? new URLSearchParams(),
        onMessage: null,
        onClose: null,
        send(frame) {
          if (state !== 'open') return;
          queueMicrotask(() => {
            if (!aborted) handlers.onMessage(frame);
          });
        },
        close(code = 1000, reason = '') {
          closeBoth(code, reason, true);
        },
        terminate() {
          if (state !== 'closed') aborted = true;
          closeBoth(1006, '', false);
        },
      };
      queueMicrotask(() => {
        if (state !== 'connecting') return;
        if (!parsed || options.refuse?.()) {
          handlers.onError(new DashwireError('connect_failed', 'In-memory server refused the connection'));
          closeBoth(1006, 'refused', false);
          return;
        }
        state = 'open';
        accept(server);
        handlers.onOpen();
      });
      return {
        send(frame) {
          if (state !== 'open') return;
          queueMicrotask(() => {
            if (!aborted) server.onMessage?.(frame);
          });
        },
        close(code = 1000, reason = '') {
          closeBoth(code, reason, true);
        },
      };
    },
  };
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
