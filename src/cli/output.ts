import type { StateChange } from '../client/types.js';
import type { EventMeta, InvalidMessage, UnknownMessage } from '../client/message-types.js';

/** Where the CLI writes; `process.stdout` fits. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const clearLine = '\r\u001b[2K';

function clock(now = new Date()): string {
  return now.toISOString().slice(11, 23);
}

function compact(data: unknown): string {
  if (data === null || typeof data !== 'object') return JSON.stringify(data) ?? String(data);
  if (Array.isArray(data)) return JSON.stringify(data);
  return Object.entries(data as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/**
 * Prints feed activity: one JSON object a line with `--json` (a stable contract, see
 * docs/cli.md), readable lines otherwise, and on a TTY a live status line kept at the bottom.
 */
export class FeedPrinter {
  private events = 0;
  private invalid = 0;
  private unknown = 0;
  private state = 'idle';
  private readonly startedAt = Date.now();
  private statusShown = false;

  constructor(
    private readonly out: OutputStream,
    private readonly json: boolean,
  ) {}

  private get live(): boolean {
    return !this.json && this.out.isTTY === true;
  }

  private line(text: string): void {
    if (this.live && this.statusShown) this.out.write(clearLine);
    this.out.write(`${text}\n`);
    if (this.live) this.status();
  }

  event(data: unknown, meta: EventMeta): void {
    this.events++;
    if (this.json)
      return this.line(
        JSON.stringify({
          kind: 'event',
          type: meta.type,
          channel: meta.channel ?? null,
          ...(meta.seq === undefined ? {} : { seq: meta.seq }),
          data,
        }),
      );
    this.line(`${clock()}  ${(meta.channel ?? '-').padEnd(12)} ${meta.type.padEnd(20)} ${compact(data)}`);
  }

  stateChange(change: StateChange): void {
    this.state = change.current;
    if (this.json) {
      return this.line(
        JSON.stringify({
          kind: 'state',
          state: change.current,
          previous: change.previous,
          ...(change.error ? { error: { code: change.error.code, message: change.error.message } } : {}),
        }),
      );
    }
    const why = change.error ? ` (${change.error.code}: ${change.error.message})` : '';
    this.line(`${clock()}  ● ${change.current}${why}`);
  }

  invalidMessage(message: InvalidMessage): void {
    this.invalid++;
    if (this.json) {
      return this.line(
        JSON.stringify({
          kind: 'invalid',
          reason: message.reason,
          type: message.type ?? null,
          channel: message.channel ?? null,
          detail: message.detail,
          raw: message.raw.slice(0, 512),
        }),
      );
    }
    this.line(`${clock()}  ✗ invalid ${message.reason}${message.type ? ` ${message.type}` : ''}: ${message.detail}`);
  }

  unknownMessage(message: UnknownMessage): void {
    this.unknown++;
    if (this.json)
      return this.line(
        JSON.stringify({ kind: 'unknown', type: message.type, channel: message.channel ?? null, data: message.data }),
      );
    this.line(`${clock()}  ? unknown type ${message.type}`);
  }

  note(text: string): void {
    if (this.json) return;
    this.line(text);
  }

  /** Redraws the live status line (TTY only). */
  status(): void {
    if (!this.live) return;
    const seconds = Math.max(1, (Date.now() - this.startedAt) / 1000);
    const rate = (this.events / seconds).toFixed(1);
    this.out.write(
      `${clearLine}● ${this.state} · ${this.events} events · ${rate}/s · invalid ${this.invalid} · unknown ${this.unknown}`,
    );
    this.statusShown = true;
  }

  /** Ends the status line so the shell prompt starts on a clean line. */
  finish(): void {
    if (this.live && this.statusShown) this.out.write('\n');
    this.statusShown = false;
  }
}
