import { memoryTransport } from '../../src/transport/memory.js';
import type { ServerSocket } from '../../src/transport/server-socket.js';

/** Answers like a minimal native server unless a test overrides `reply`. */
export interface ScriptedServerOptions {
  /** Send `welcome` on connect. @default true */
  welcome?: boolean;
  /** Answer subscribe with ack and ping with pong. @default true */
  answer?: boolean;
  /**
   * Model subscriptions for {@link publish}: `'1.1'` keeps them per (channel, params) and
   * announces `version: "1.1"` in its welcome; `'1.0'` ends every subscription of the channel
   * on any unsubscribe (and announces no version), as a native 1.0 server does.
   * @default '1.1'
   */
  version?: '1.0' | '1.1';
  /** `heartbeatMs` announced in the welcome. @default none */
  heartbeatMs?: number;
}

const paramsKey = (params: unknown): string =>
  JSON.stringify(params ?? {}, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/**
 * An in-memory server a test scripts frame by frame: it records what clients
 * send, and lets the test push frames, close or refuse connections.
 */
export function scriptedServer(options: ScriptedServerOptions = {}) {
  const sockets: ServerSocket[] = [];
  const received: Record<string, unknown>[] = [];
  let refusing = false;
  let answer = options.answer ?? true;
  const version = options.version ?? '1.1';
  /** Live subscriptions of each connection: channel → params keys. */
  const live = new Map<ServerSocket, Map<string, Set<string>>>();
  const server = {
    /** Whether the latest connection holds a subscription on `channel` (any params). */
    subscribed(channel: string): boolean {
      return server.current && live.get(server.current)?.get(channel)?.size ? true : false;
    },
    /**
     * Sends an event on the latest connection only while it holds a subscription on the
     * channel (once per connection, whatever the params: NATIVE-1.1 §2).
     */
    publish(channel: string, seq: number, type: string, data: unknown): boolean {
      if (!server.subscribed(channel)) return false;
      server.event(channel, seq, type, data);
      return true;
    },
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
          const channels = live.get(socket) ?? new Map<string, Set<string>>();
          live.set(socket, channels);
          const channel = String(msg.channel);
          if (msg.op === 'subscribe')
            channels.set(channel, (channels.get(channel) ?? new Set()).add(paramsKey(msg.params)));
          if (msg.op === 'unsubscribe') {
            if (version === '1.0') channels.delete(channel);
            else channels.get(channel)?.delete(paramsKey(msg.params));
          }
          if (!answer) return;
          if (msg.op === 'subscribe')
            socket.send(JSON.stringify({ op: 'ack', id: msg.id, channel: msg.channel, recovered: true }));
          if (msg.op === 'unsubscribe') socket.send(JSON.stringify({ op: 'ack', id: msg.id, channel: msg.channel }));
          if (msg.op === 'ping') socket.send(JSON.stringify({ op: 'pong', id: msg.id }));
        };
        const welcome = {
          op: 'welcome',
          session: `s${sockets.length}`,
          ...(version === '1.1' ? { version: '1.1' } : {}),
          ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
        };
        if (options.welcome ?? true) socket.send(JSON.stringify(welcome));
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
