/**
 * The session recording format (NDJSON, documented in docs/infer.md): one header line, then
 * one line per connection event or frame, in the order they happened.
 */
import { isRecord } from '../protocol/json.js';
import { redactUrl } from '../transport/redact.js';
import type { Connection, ConnectRequest, Transport } from '../transport/types.js';

/** Value of the header's `format` field. */
export const recordingFormat = 'dashwire-recording';
/** Version written by this code; readers accept it and older ones. */
export const recordingVersion = 1;

/** First line of a recording (docs/infer.md). @category Mock server */
export interface RecordingHeader {
  readonly format: typeof recordingFormat;
  readonly version: number;
  /** When recording started, ISO 8601; every entry's `t` counts from here. */
  readonly startedAt: string;
  /** The URL given to `tail`. */
  readonly url: string;
  /** `--preset` name when the client ran a preset; `null` for `--raw`. */
  readonly preset: string | null;
}

/** One line after the header. `t` is ms since `startedAt`; `conn` numbers connections from 1. @category Mock server */
export type RecordingEntry =
  | { readonly t: number; readonly conn: number; readonly kind: 'connect'; readonly url: string }
  | { readonly t: number; readonly conn: number; readonly kind: 'open' }
  /** `in`: server → client; `out`: client → server. */
  | { readonly t: number; readonly conn: number; readonly kind: 'in' | 'out'; readonly frame: string }
  | { readonly t: number; readonly conn: number; readonly kind: 'error'; readonly message: string }
  | {
      readonly t: number;
      readonly conn: number;
      readonly kind: 'close';
      readonly code: number;
      readonly reason: string;
      readonly wasClean: boolean;
      /** Who closed first: `client` when the recorder called close, else `server` (or the network). */
      readonly by: 'client' | 'server';
    };

/** A parsed session recording (`dashwire tail --record`). @category Mock server */
export interface Recording {
  readonly header: RecordingHeader;
  readonly entries: readonly RecordingEntry[];
}

/** Where recorded lines go (a file in the CLI, an array in tests). */
export type LineSink = (line: string) => void;

/** Writes a recording line by line, so a session cut short by Ctrl-C or a crash is still readable. */
export class Recorder {
  private readonly started = performance.now();
  private nextConn = 1;

  constructor(
    private readonly sink: LineSink,
    header: Omit<RecordingHeader, 'format' | 'version' | 'startedAt'>,
  ) {
    const full: RecordingHeader = {
      format: recordingFormat,
      version: recordingVersion,
      startedAt: new Date().toISOString(),
      ...header,
    };
    sink(JSON.stringify(full));
  }

  /** Allocates the number of a new connection. */
  connection(): number {
    return this.nextConn++;
  }

  /** Appends one entry, stamped now. */
  write(conn: number, entry: DistributiveOmit<RecordingEntry, 't' | 'conn'>): void {
    const t = Math.round(performance.now() - this.started);
    this.sink(JSON.stringify({ t, conn, ...entry }));
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Wraps a transport so that every connection it makes is recorded: connect, open, frames in
 * both directions (subscribes and pings included), errors and the close with its code.
 * The client sees the inner transport unchanged.
 */
export function recordingTransport(inner: Transport, recorder: Recorder): Transport {
  return {
    kind: inner.kind,
    connect(request: ConnectRequest): Connection {
      const conn = recorder.connection();
      let closedByClient = false;
      // Without query or credentials: a token in the URL must not end up in the recording.
      recorder.write(conn, { kind: 'connect', url: redactUrl(request.url) });
      const { handlers } = request;
      const connection = inner.connect({
        ...request,
        handlers: {
          onOpen() {
            recorder.write(conn, { kind: 'open' });
            handlers.onOpen();
          },
          onMessage(frame, source) {
            recorder.write(conn, { kind: 'in', frame });
            handlers.onMessage(frame, source);
          },
          onClose(info) {
            recorder.write(conn, {
              kind: 'close',
              code: info.code,
              reason: info.reason,
              wasClean: info.wasClean,
              by: closedByClient ? 'client' : 'server',
            });
            handlers.onClose(info);
          },
          onError(error) {
            recorder.write(conn, { kind: 'error', message: `${error.code}: ${error.message}` });
            handlers.onError(error);
          },
        },
      });
      return {
        send(frame) {
          recorder.write(conn, { kind: 'out', frame });
          connection.send(frame);
        },
        close(code, reason) {
          closedByClient = true;
          connection.close(code, reason);
        },
      };
    },
  };
}

/** Thrown for text that is not a recording (a usage error in the CLI). @category Mock server */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}

const kinds = new Set(['connect', 'open', 'in', 'out', 'error', 'close']);

/** Parses NDJSON recording text; blank lines are skipped, a bad line names its number. @category Mock server */
export function parseRecording(text: string): Recording {
  const lines = text.split('\n');
  let header: RecordingHeader | undefined;
  const entries: RecordingEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A recording cut off mid-line (the process was killed) keeps everything before it.
      if (i >= lines.length - 2) break;
      throw new RecordingError(`line ${i + 1}: not JSON`);
    }
    if (!header) {
      if (!isRecord(value) || value.format !== recordingFormat)
        throw new RecordingError(`line ${i + 1}: not a dashwire recording header`);
      if (typeof value.version !== 'number' || value.version > recordingVersion) {
        throw new RecordingError(
          `recording version ${String(value.version)} is newer than this dashwire reads (${recordingVersion})`,
        );
      }
      header = value as unknown as RecordingHeader;
      continue;
    }
    if (
      !isRecord(value) ||
      typeof value.t !== 'number' ||
      typeof value.conn !== 'number' ||
      typeof value.kind !== 'string' ||
      !kinds.has(value.kind)
    ) {
      throw new RecordingError(`line ${i + 1}: not a recording entry`);
    }
    if ((value.kind === 'in' || value.kind === 'out') && typeof value.frame !== 'string')
      throw new RecordingError(`line ${i + 1}: frame is not a string`);
    entries.push(value as unknown as RecordingEntry);
  }
  if (!header) throw new RecordingError('empty recording');
  return { header, entries };
}
