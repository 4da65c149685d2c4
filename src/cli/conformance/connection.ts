import WebSocket from 'ws';
import { isRecord } from '../../protocol/json.js';

/** A frame as the server sent it: any JSON object (non-objects are replaced by a marker frame). */
export type Frame = Record<string, unknown>;

/** What a wait rejects with when nothing matched in time. */
export class Timeout extends Error {
  override readonly name = 'Timeout';
}

/** One check connection: frames kept in arrival order (batches unrolled), waits by predicate. */
export class Conn {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  private readonly waiters = new Set<() => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(
          Buffer.isBuffer(data)
            ? data.toString()
            : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString(),
        );
      } catch {
        parsed = { op: '(not JSON)' };
      }
      for (const item of Array.isArray(parsed) ? parsed : [parsed])
        this.frames.push(isRecord(item) ? item : { op: '(not an object)' });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  static open(url: string, timeoutMs: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
      const conn = new Conn(ws);
      ws.once('open', () => resolve(conn));
      ws.once('error', (error) => reject(error));
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  send(frame: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame at index ≥ `from` that matches; rejects with Timeout. */
  next(match: (frame: Frame) => boolean, timeoutMs: number, from = 0): Promise<Frame> {
    return this.until(() => this.frames.slice(from).find(match), timeoutMs);
  }

  until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Timeout(`nothing within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  waitClosed(timeoutMs: number): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, timeoutMs);
  }

  close(): void {
    this.ws.terminate();
  }
}
