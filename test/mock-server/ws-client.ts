import WebSocket from 'ws';
import { waitFor } from '../helpers/wait.js';
import { rawText } from '../helpers/raw-text.js';

/** A decoded server frame; `raw` holds frames that were not JSON objects. */
export type Frame = { readonly [key: string]: unknown };

/** A bare `ws` client that records every frame, for tests of the server alone. */
export interface TestClient {
  readonly ws: WebSocket;
  /** Every frame received, parsed; non-JSON frames as `{ raw }`. */
  readonly frames: Frame[];
  readonly closed: { code: number; reason: string } | undefined;
  send(frame: string | object): void;
  /** Waits for the first frame (from index `from`) matching `match`. */
  next(match: (frame: Frame) => boolean, from?: number, timeoutMs?: number): Promise<Frame>;
  /** Frames with `op: "event"`, optionally of one channel. */
  events(channel?: string): Frame[];
  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens a `ws` connection and resolves once it is open. */
export function connect(url: string): Promise<TestClient> {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  let closed: { code: number; reason: string } | undefined;
  ws.on('message', (data) => {
    const text = rawText(data);
    try {
      const parsed: unknown = JSON.parse(text);
      frames.push(
        typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Frame) : { raw: text },
      );
    } catch {
      frames.push({ raw: text });
    }
  });
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
  });
  const client: TestClient = {
    ws,
    frames,
    get closed() {
      return closed;
    },
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: (match, from = 0, timeoutMs = 2_000) => waitFor(() => frames.slice(from).find(match), timeoutMs),
    events: (channel) => frames.filter((f) => f.op === 'event' && (channel === undefined || f.channel === channel)),
    waitClosed: (timeoutMs = 2_000) => waitFor(() => closed, timeoutMs),
    async close() {
      if (closed) return;
      ws.close();
      await waitFor(() => closed);
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** Expects the upgrade to fail; resolves with the HTTP status the server answered (or the error text). */
export function connectFailure(url: string): Promise<string> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade unexpectedly succeeded'));
    });
    ws.once('error', (error) => resolve(/\d{3}/.exec(error.message)?.[0] ?? error.message));
  });
}
