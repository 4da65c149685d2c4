import type {
  CloseInfo,
  Connection,
  ConnectionHandlers,
  ConnectRequest,
  Transport,
} from '../../src/transport/types.js';

/**
 * A scriptable fake transport for testing one client unit alone (in the spirit of
 * centrifuge-js's fakeServer): every `connect()` makes a {@link FakeSocket} that does nothing
 * until the test says so — `open()`, `message()`, `close()`, `fail()` — and records what the
 * unit sent. Nothing is asynchronous unless the test awaits: pair it with fake timers.
 *
 * To extend it: give FakeSocket a method that calls one of `this.handlers` (the transport
 * contract in src/transport/types.ts), e.g. a `binary()` that sends a non-text frame; keep
 * every call behind a check of `this.ended`, as a real transport never calls back after close.
 */
export class FakeSocket {
  readonly sent: string[] = [];
  /** How the unit closed it, if it did. */
  closedBy: { code: number; reason: string } | undefined;
  ended = false;
  readonly connection: Connection;

  constructor(readonly request: ConnectRequest) {
    this.connection = {
      send: (frame) => void this.sent.push(frame),
      close: (code = 1000, reason = '') => {
        if (this.ended) return;
        this.closedBy = { code, reason };
        this.end({ code, reason, wasClean: true });
      },
    };
  }

  get url(): string {
    return this.request.url;
  }

  private get handlers(): ConnectionHandlers {
    return this.request.handlers;
  }

  /** Sent frames parsed as JSON. */
  frames(): Record<string, unknown>[] {
    return this.sent.map((frame) => JSON.parse(frame) as Record<string, unknown>);
  }

  open(): this {
    if (!this.ended) this.handlers.onOpen();
    return this;
  }

  /** A text frame from the server (objects are JSON-encoded). */
  message(frame: unknown): this {
    if (!this.ended) this.handlers.onMessage(typeof frame === 'string' ? frame : JSON.stringify(frame));
    return this;
  }

  /** A polling body, answering the request with this key (as the polling transport hands it up). */
  body(body: unknown, key: string): this {
    if (!this.ended) this.handlers.onMessage(typeof body === 'string' ? body : JSON.stringify(body), key);
    return this;
  }

  /** The server (or the network) ends the connection. */
  close(code = 1006, reason = ''): this {
    this.end({ code, reason, wasClean: code !== 1006 });
    return this;
  }

  private end(info: CloseInfo): void {
    if (this.ended) return;
    this.ended = true;
    this.handlers.onClose(info);
  }
}

/** A transport whose connections are {@link FakeSocket}s, in connect order. */
export function fakeTransport(kind = 'fake') {
  const sockets: FakeSocket[] = [];
  const transport: Transport = {
    kind,
    connect(request) {
      const socket = new FakeSocket(request);
      sockets.push(socket);
      return socket.connection;
    },
  };
  return {
    transport,
    sockets,
    get latest(): FakeSocket | undefined {
      return sockets[sockets.length - 1];
    },
  };
}

/**
 * Lets microtasks run until `predicate` holds, and returns its value; fails after `rounds`.
 * The fake-timer counterpart of waitFor(): promise chains (token providers) settle, no clock moves.
 */
export async function settle<T>(predicate: () => T | undefined | null | false, rounds = 100): Promise<T> {
  for (let i = 0; i < rounds; i++) {
    const value = predicate();
    if (value) return value;
    await Promise.resolve();
  }
  throw new Error(`settle: condition not met within ${rounds} microtask rounds`);
}
