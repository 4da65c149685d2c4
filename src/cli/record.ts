/**
 * `dashwire tail --record`: writes a session recording (src/infer/recording.ts) while tailing
 * with a preset, or, with `--raw`, without any protocol: connect, send the `--send` frames,
 * record whatever comes back.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { WebSocket as NodeWebSocket } from 'ws';
import { Recorder, recordingTransport } from '../infer/recording.js';
import { redactUrl } from '../transport/redact.js';
import type { Transport } from '../transport/types.js';
import { webSocketTransport, type WebSocketConstructor } from '../transport/websocket.js';
import { integerValue, lastValue, numberValue, UsageError, type ParsedArgs } from './args.js';
import type { CliIO } from './io.js';

/** A recording in progress: the transport to give the client, and how to finish the file. */
export interface RecordingSession {
  readonly transport: Transport;
  close(): void;
}

/** Checks the recording flags together: `--raw` and `--send` only with `--record`, `--raw` without `--preset`. */
export function checkRecordFlags(args: ParsedArgs): void {
  const record = lastValue(args, 'record');
  if (args.flags.has('raw') && record === undefined)
    throw new UsageError('--raw records without a preset; it needs --record FILE');
  if (args.flags.has('raw') && args.values.has('preset')) throw new UsageError('--raw and --preset exclude each other');
  if (args.values.has('send') && !args.flags.has('raw'))
    throw new UsageError('--send needs --raw (with a preset, the client sends its own frames)');
  for (const frame of args.values.get('send') ?? []) {
    try {
      JSON.parse(frame);
    } catch {
      throw new UsageError(`--send expects JSON, got ${frame.slice(0, 60)}`);
    }
  }
}

/** Opens the `--record` file and returns the recording transport; `undefined` without `--record`. Closing reports the count on `io.stderr`. */
export function startRecording(
  args: ParsedArgs,
  url: string,
  preset: string | null,
  io?: CliIO,
  // The `ws` the CLI bundles, as tail's own client uses (run.ts).
  inner: Transport = webSocketTransport({ WebSocket: NodeWebSocket as unknown as WebSocketConstructor }),
): RecordingSession | undefined {
  const path = lastValue(args, 'record');
  if (path === undefined) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
  } catch {
    throw new UsageError(`cannot write ${path}`);
  }
  let lines = 0;
  const recorder = new Recorder(
    (line) => {
      if (fd === undefined) return;
      writeSync(fd, `${line}\n`);
      lines++;
    },
    // Tokens in a query string must not end up in a file meant for sharing and replay.
    { url: redactUrl(url), preset },
  );
  return {
    transport: recordingTransport(inner, recorder),
    close() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
      io?.stderr.write(`dashwire: recorded ${lines - 1} entries to ${path}\n`);
    },
  };
}

/** `tail <url> --record FILE --raw [--send JSON]… [--count N] [--duration S]`: prints each frame received. */
export async function recordRaw(url: string, args: ParsedArgs, io: CliIO): Promise<number> {
  const session = startRecording(args, url, null, io)!;
  const sends = args.values.get('send') ?? [];
  const count = integerValue(args, 'count', Number.POSITIVE_INFINITY, { min: 1, what: 'a positive whole number' });
  const durationMs = numberValue(args, 'duration', Number.POSITIVE_INFINITY) * 1000;
  let opened = false;
  let received = 0;
  let failure = '';
  const result = await new Promise<number>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const stop = (): void => connection.close(1000, '');
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      io.signal.removeEventListener('abort', stop);
      resolve(code);
    };
    const connection = session.transport.connect({
      url,
      handlers: {
        onOpen() {
          opened = true;
          for (const frame of sends) connection.send(frame);
        },
        onMessage(frame) {
          if (received >= count) return;
          received++;
          io.stdout.write(`${frame}\n`);
          if (received >= count) stop();
        },
        onClose(info) {
          if (!opened) failure ||= `connection closed before it opened (${info.code})`;
          finish(opened ? 0 : 2);
        },
        onError(error) {
          failure = error.message;
        },
      },
    });
    if (Number.isFinite(durationMs)) timer = setTimeout(stop, durationMs);
    if (io.signal.aborted) stop();
    else io.signal.addEventListener('abort', stop);
  });
  session.close();
  if (result !== 0) io.stderr.write(`dashwire: ${failure}\n`);
  return result;
}
