/**
 * The reference mock server for Node: `ws` + `node:http`, the native protocol and every preset dialect, with faults.
 * @module dashwire/mock-server
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { bindControls, type FeedControls } from '../server/controls.js';
import type { FeedEngineOptions } from '../server/engine-options.js';
import { createFeedEngine } from '../server/engine.js';
import { serverFaults, type BlockUpgradesOptions, type RestartOptions, type ServerFaults } from '../server/faults.js';
import type { ServerSocket } from '../transport/server-socket.js';
import { replayDialect, type ReplayOptions } from './replay.js';

export type { FeedControls } from '../server/controls.js';
export type { BlockUpgradesOptions, RestartOptions, ServerFaults } from '../server/faults.js';
export type { ClientInfo, FeedEngine, ReceivedFrame } from '../server/engine.js';
export type { EngineFaults } from '../server/engine-faults.js';
export { feedEngineDefaults, type FeedEngineOptions, type FeedOptions } from '../server/engine-options.js';
export {
  jsonResponse,
  type AuthCheck,
  type DialectFactory,
  type DialectHost,
  type FeedClient,
  type FeedEvent,
  type FeedItem,
  type FeedSource,
  type HttpRequest,
  type HttpResponse,
  type ReplayResult,
  type ServerDialect,
} from '../server/dialect.js';
export { dialectNames, registerDialect } from '../server/registry.js';
export { nativeDialect, nativeDialectDefaults, type NativeDialectOptions } from '../server/native-dialect.js';
export { nativeProtocolVersion, unauthorizedCloseCode } from '../server/native-handshake.js';
export { seededRandom } from '../server/native-feed.js';
export { replayDefaults, replayDialect, type ReplayOptions } from './replay.js';
export {
  parseRecording,
  RecordingError,
  type Recording,
  type RecordingEntry,
  type RecordingHeader,
} from '../infer/recording.js';

/** Options of {@link createMockServer}. @category Mock server */
export interface MockServerOptions extends FeedEngineOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Interface to listen on. Only this one is ever bound. @default '127.0.0.1' */
  readonly host?: string;
  /** Largest client frame accepted, in bytes. @default 1048576 */
  readonly maxPayload?: number;
  /**
   * Plays back a session recording (`dashwire tail --record`) instead of a dialect: the
   * recorded paths, frames in their rhythm, recorded replies; `protocol` is then ignored.
   */
  readonly replay?: ReplayOptions;
}

/** Defaults of {@link MockServerOptions}. @category Mock server */
export const mockServerDefaults = { port: 0, host: '127.0.0.1', maxPayload: 1_048_576 } as const;

/** Faults of the Node mock server: the engine's, plus restart and blocked upgrades on the real listening socket. @category Mock server */
export type MockServerFaults = ServerFaults;

/** A running Node mock server. @category Mock server */
export interface MockServer extends FeedControls {
  /** WebSocket URL of the dialect's main endpoint, e.g. `ws://127.0.0.1:PORT/ws`. */
  readonly url: string;
  /** HTTP base URL (REST polling, health), e.g. `http://127.0.0.1:PORT`. */
  readonly httpUrl: string;
  readonly port: number;
  /** WebSocket URL of another endpoint path (servers with one URL per feed). */
  wsUrl(path: string): string;
  readonly faults: MockServerFaults;
  /** Same as `faults.restart`. */
  restart(options?: RestartOptions): Promise<void>;
  /** Drops every client, stops the feed and closes the port; resolves when nothing is left open. */
  close(): Promise<void>;
}

const statusText: Readonly<Record<number, string>> = { 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

function rejectUpgrade(socket: Duplex, status: number): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}

function serverSocket(ws: WebSocket, url: URL): ServerSocket {
  const socket: ServerSocket = {
    path: url.pathname,
    query: url.searchParams,
    onMessage: null,
    onClose: null,
    send(frame) {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    },
    close(code, reason) {
      try {
        ws.close(code, reason);
      } catch {
        ws.terminate(); // ws rejects codes a peer may not send (1006…): drop instead
      }
    },
    terminate: () => ws.terminate(),
  };
  ws.on('message', (data) => socket.onMessage?.(frameText(data)));
  ws.on('close', (code, reason) => socket.onClose?.(code, reason.toString('utf8')));
  // A peer that vanishes mid-frame must not crash the server; 'close' follows.
  ws.on('error', () => {});
  return socket;
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Starts the reference mock server: the feed engine behind `ws` and `node:http`, on
 * 127.0.0.1 and a free port unless told otherwise.
 *
 * ```ts
 * const server = await createMockServer({ protocol: 'native', feed: { rate: 20 } });
 * const client = createClient({ url: server.url });
 * server.faults.dropAll();
 * await server.close();
 * ```
 * @category Mock server
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? mockServerDefaults.host;
  const engine = createFeedEngine(options.replay ? { ...options, protocol: replayDialect(options.replay) } : options);
  const paths = engine.dialect.paths;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? mockServerDefaults.maxPayload });
  let blocked: BlockUpgradesOptions | false = false;
  let closing: Promise<void> | undefined;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    readBody(req, options.maxPayload ?? mockServerDefaults.maxPayload)
      .then((body) =>
        body === undefined
          ? { status: 413, headers: { 'content-type': 'text/plain' }, body: 'payload too large' }
          : engine.request(req.method ?? 'GET', url.pathname, url.searchParams, flatHeaders(req), body),
      )
      .then(
        (response) => {
          res.writeHead(response.status, response.headers);
          res.end(req.method === 'HEAD' ? undefined : response.body);
        },
        () => res.destroy(),
      );
  };

  const http = createServer(onRequest);
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    if (!paths.includes(url.pathname)) return rejectUpgrade(socket, 404);
    if (engine.isRefusing()) return rejectUpgrade(socket, 503);
    if (blocked && blocked.mode === '403') return rejectUpgrade(socket, 403);
    const mode = blocked && blocked.mode;
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (mode === 'accept-then-close') ws.terminate();
      else engine.accept(serverSocket(ws, url));
    });
  });

  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      http.once('error', onError);
      http.listen(port, host, () => {
        http.off('error', onError);
        resolve();
      });
    });

  const dropEverything = (): Promise<void> =>
    new Promise((resolve) => {
      engine.faults.dropAll();
      for (const ws of wss.clients) ws.terminate();
      // The callback gets ERR_SERVER_NOT_RUNNING when already closed: closed is closed.
      http.close(() => resolve());
      http.closeAllConnections();
    });

  await listen(options.port ?? mockServerDefaults.port);
  const port = (http.address() as AddressInfo).port;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const wsUrl = (path: string): string => `ws://${authority}${path.startsWith('/') ? path : `/${path}`}`;

  const restart = async ({ downMs = 0 }: RestartOptions = {}): Promise<void> => {
    if (closing) return;
    await dropEverything();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    if (!closing) await listen(port);
  };

  const faults = serverFaults(engine, restart, (value) => {
    blocked = value;
  });

  return bindControls(engine, {
    url: wsUrl(paths[0] ?? '/'),
    httpUrl: `http://${authority}`,
    port,
    wsUrl,
    faults,
    restart,
    close(): Promise<void> {
      closing ??= (async () => {
        engine.close();
        await dropEverything();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  });
}
