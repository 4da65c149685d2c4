import { memoryTransport } from '../../src/transport/memory.js';
import type { ServerSocket } from '../../src/transport/server-socket.js';

/** What a scripted preset server answers to one client frame (`undefined`: nothing). */
export type Reply = (frame: unknown, socket: ServerSocket) => unknown;

/**
 * An in-memory server speaking whatever a test scripts: records each client frame with its
 * path, sends frames on demand, and optionally greets and answers.
 */
export function presetServer(options: { reply?: Reply; greet?: (socket: ServerSocket) => unknown } = {}) {
  const sockets: ServerSocket[] = [];
  const received: { path: string; frame: string }[] = [];
  const open = new Set<ServerSocket>();
  const server = {
    sockets,
    received,
    /** Client frames, parsed. */
    frames: (path?: string) =>
      received.filter((r) => path === undefined || r.path === path).map((r) => JSON.parse(r.frame) as unknown),
    /** Open connections. */
    get open(): ServerSocket[] {
      return [...open];
    },
    /** Sends a frame (object → JSON) on every open connection, or only those on `path`. */
    send(frame: unknown, path?: string) {
      for (const socket of open)
        if (path === undefined || socket.path === path)
          socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    dropAll() {
      for (const socket of [...open]) socket.terminate();
    },
    transport: memoryTransport((socket) => {
      sockets.push(socket);
      open.add(socket);
      socket.onClose = () => open.delete(socket);
      socket.onMessage = (frame) => {
        received.push({ path: socket.path, frame });
        const answer = options.reply?.(JSON.parse(frame), socket);
        if (answer !== undefined) socket.send(JSON.stringify(answer));
      };
      const hello = options.greet?.(socket);
      if (hello !== undefined) socket.send(JSON.stringify(hello));
    }),
  };
  return server;
}

export { flush } from '../helpers/scripted-server.js';
