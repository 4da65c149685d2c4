import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import { bindControls, type FeedControls } from '../server/controls.js';
import type { FeedEngineOptions } from '../server/engine-options.js';
import { createFeedEngine } from '../server/engine.js';
import { serverFaults, type BlockUpgradesOptions, type RestartOptions, type ServerFaults } from '../server/faults.js';
import type { ServerSocket } from '../transport/server-socket.js';
import type { WebSocketConstructor } from '../transport/websocket.js';

/** Options of {@link createTestServer}. @category Mock server */
export interface TestServerOptions extends FeedEngineOptions {
  /**
   * Where the in-memory server answers: an origin, or the origin plus one of the dialect's
   * endpoint paths. Each test server needs its own URL while it is open.
   * @default 'ws://dashwire.test'
   */
  readonly url?: string;
}

/** Faults of the in-memory server: the engine's, plus restart and blocked upgrades as on the Node server. @category Mock server */
export type TestServerFaults = ServerFaults;

/** An in-memory feed server on mock-socket, for tests in jsdom, happy-dom or a browser. @category Mock server */
export interface TestServer extends FeedControls {
  /** WebSocket URL of the dialect's main endpoint. */
  readonly url: string;
  /** HTTP base URL that {@link TestServer.fetch} answers. */
  readonly httpUrl: string;
  /** WebSocket URL of another endpoint path. */
  wsUrl(path: string): string;
  /** mock-socket's WebSocket: inject it as `createClient({ WebSocket })`; it reaches only mock servers. */
  readonly WebSocket: WebSocketConstructor;
  /** A `fetch` that answers the engine's HTTP routes (REST polling…) for `httpUrl`. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  readonly faults: TestServerFaults;
  /** Same as `faults.restart`. */
  restart(options?: RestartOptions): Promise<void>;
  /** Drops every client and frees the URL for another test server. */
  close(): Promise<void>;
}

function serverSocket(client: Client): ServerSocket {
  const url = new URL(client.url);
  const socket: ServerSocket = {
    path: url.pathname,
    query: url.searchParams,
    onMessage: null,
    onClose: null,
    send(frame) {
      if (client.readyState !== MockWebSocket.OPEN) return;
      try {
        client.send(frame);
      } catch (error) {
        // mock-socket runs the client's onmessage inside this call; a throwing handler must
        // not stop delivery to other clients, yet the test should still see the error.
        queueMicrotask(() => {
          throw error;
        });
      }
    },
    close(code = 1000, reason = '') {
      client.close({ code, reason, wasClean: true });
    },
    terminate() {
      client.close({ code: 1006, reason: '', wasClean: false });
    },
  };
  client.on('message', (data) =>
    socket.onMessage?.(
      typeof data === 'string' ? data : new TextDecoder().decode(data instanceof Blob ? new Uint8Array() : data),
    ),
  );
  client.on('close', (event?: { code?: number; reason?: string }) =>
    socket.onClose?.(event?.code ?? 1005, event?.reason ?? ''),
  );
  return socket;
}

/**
 * Starts the feed engine in memory on mock-socket: the same protocol, control surface and
 * faults as `createMockServer`, with no port and no Node APIs.
 *
 * ```ts
 * const server = createTestServer();
 * const client = createClient({ url: server.url, WebSocket: server.WebSocket });
 * server.publish('prices', 'price_update', { symbol: 'BTC', price: '64000.00', change_24h: '0.1', ts: Date.now() });
 * ```
 * @category Mock server
 */
export function createTestServer(options: TestServerOptions = {}): TestServer {
  const engine = createFeedEngine(options);
  const paths = engine.dialect.paths;
  const given = new URL(options.url ?? 'ws://dashwire.test');
  if (given.pathname !== '/' && !paths.includes(given.pathname)) {
    throw new TypeError(
      `dashwire test server: the ${engine.dialect.name} dialect serves ${paths.join(', ')}, not ${given.pathname}`,
    );
  }
  const origin = `${given.protocol}//${given.host}`;
  const httpOrigin = origin.replace(/^ws/, 'http');
  const wsUrl = (path: string): string => `${origin}${path.startsWith('/') ? path : `/${path}`}`;
  let blocked: BlockUpgradesOptions | false = false;
  let servers: Server[] = [];
  let closed = false;

  const listen = (): void => {
    servers = paths.map((path) => {
      const server = new Server(wsUrl(path), {
        mock: false, // never replace globalThis.WebSocket behind the test's back
        verifyClient: () => !engine.isRefusing() && !(blocked && blocked.mode === '403'),
      });
      server.on('connection', (client) => {
        if (blocked && blocked.mode === 'accept-then-close') client.close({ code: 1006, reason: '', wasClean: false });
        else engine.accept(serverSocket(client));
      });
      return server;
    });
  };

  const stop = (): void => {
    engine.faults.dropAll();
    for (const server of servers) server.stop();
    servers = [];
  };

  const restart = async ({ downMs = 0 }: RestartOptions = {}): Promise<void> => {
    if (closed) return;
    stop();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    if (!closed) listen();
  };

  listen();

  return bindControls(engine, {
    url: wsUrl(paths[0] ?? '/'),
    httpUrl: httpOrigin,
    wsUrl,
    WebSocket: MockWebSocket as unknown as WebSocketConstructor,
    async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.origin !== httpOrigin || servers.length === 0)
        throw new TypeError(`fetch failed: nothing answers ${url.origin}`);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
      const res = await engine.request(request.method, url.pathname, url.searchParams, headers, body);
      const empty = res.status === 204 || res.status === 304 || request.method === 'HEAD';
      return new Response(empty ? null : res.body, { status: res.status, headers: res.headers });
    },
    faults: serverFaults(engine, restart, (value) => {
      blocked = value;
    }),
    restart,
    close(): Promise<void> {
      if (!closed) {
        closed = true;
        engine.close();
        stop();
      }
      return Promise.resolve();
    },
  });
}
