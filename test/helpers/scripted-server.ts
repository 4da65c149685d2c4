import { memoryTransport } from '../../src/transport/memory.js';
import type { ServerSocket } from '../../src/server/socket.js';

/** Answers like a minimal native server unless a test overrides `reply`. */
export interface ScriptedServerOptions {
  /** Send `welcome` on connect. @default true */
  welcome?: boolean;
  /** Answer subscribe with ack and ping with pong. @default true */
  answer?: boolean;
}

/**
 * An in-memory server a test scripts frame by frame: it records what clients
 * send, and lets the test push frames, close or refuse connections.
 */
export function scriptedServer(options: ScriptedServerOptions = {}) {
  const sockets: ServerSocket[] = [];
  const received: Record<string, unknown>[] = [];
  let refusing = false;
  let answer = options.answer ?? true;
  const server = {
    sockets,
    received,
    get current(): ServerSocket | undefined {
      return sockets[sockets.length - 1];
    },
    refuse(on: boolean) {
      refusing = on;
    },
    setAnswer(on: boolean) {
      answer = on;
    },
    /** Sends a frame (object → JSON) on the latest connection. */
    send(frame: unknown) {
      server.current?.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    event(channel: string, seq: number, type: string, data: unknown) {
      server.send({ op: 'event', channel, seq, type, data });
    },
    /** Client frames with this op. */
    ops(op: string) {
      return received.filter((f) => f.op === op);
    },
    transport: memoryTransport(
      (socket) => {
        sockets.push(socket);
        socket.onMessage = (frame) => {
          const msg = JSON.parse(frame) as Record<string, unknown>;
          received.push(msg);
          if (!answer) return;
          if (msg.op === 'subscribe') socket.send(JSON.stringify({ op: 'ack', id: msg.id, channel: msg.channel, recovered: true }));
          if (msg.op === 'ping') socket.send(JSON.stringify({ op: 'pong', id: msg.id }));
        };
        if (options.welcome ?? true) socket.send(JSON.stringify({ op: 'welcome', session: `s${sockets.length}` }));
      },
      { refuse: () => refusing },
    ),
  };
  return server;
}

/** Lets queued microtasks (memory transport deliveries, promise chains) run. */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

export const price = (symbol: string, p: string, ts = 1) => ({ symbol, price: p, change_24h: '0.5', ts });
