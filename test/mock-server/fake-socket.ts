import type { ServerSocket } from '../../src/transport/server-socket.js';
import type { Frame } from './ws-client.js';

/** A synchronous in-test {@link ServerSocket}: what the engine sends is recorded, nothing is delayed. */
export interface FakeSocket {
  readonly socket: ServerSocket;
  /** Raw frames the server sent. */
  readonly sent: string[];
  /** Sent frames parsed as JSON. */
  frames(): Frame[];
  /** How the server closed it, if it did. */
  closed(): { code: number; reason: string } | undefined;
  /** Delivers a client frame to the server (objects are JSON-encoded). */
  receive(frame: string | object): void;
  /** The client goes away. */
  disconnect(): void;
}

export function fakeSocket(path = '/ws', query = ''): FakeSocket {
  const sent: string[] = [];
  let closed: { code: number; reason: string } | undefined;
  const end = (code: number, reason: string): void => {
    if (closed) return;
    closed = { code, reason };
    socket.onClose?.(code, reason);
  };
  const socket: ServerSocket = {
    path,
    query: new URLSearchParams(query),
    onMessage: null,
    onClose: null,
    send: (frame) => {
      if (!closed) sent.push(frame);
    },
    close: (code = 1000, reason = '') => end(code, reason),
    terminate: () => end(1006, ''),
  };
  return {
    socket,
    sent,
    frames: () => sent.map((f) => JSON.parse(f) as Frame),
    closed: () => closed,
    receive: (frame) => socket.onMessage?.(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    disconnect: () => end(1000, ''),
  };
}
