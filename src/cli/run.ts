import { WebSocket as NodeWebSocket } from 'ws';
import { createClient } from '../client/client.js';
import type { Client } from '../client/types.js';
import type { EventMeta } from '../client/message-types.js';
import type { EventCatalog } from '../events.js';
import { createMockServer, type MockServer } from '../mock-server/index.js';
import type { Protocol } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import type { WebSocketConstructor } from '../transport/websocket.js';
import { integerValue, lastValue, numberValue, paramsFrom, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { check } from './check.js';
import { FeedPrinter } from './output.js';
import { protocolFor, protocolNames } from './protocols.js';
import { version } from './version.js';
import { inferCommand, readRecordingFile } from './infer.js';
import { exitCodes, type CliIO } from './io.js';
import { checkRecordFlags, recordRaw, startRecording } from './record.js';

export { exitCodes, type CliIO } from './io.js';

const help: Record<string, string> = {
  main: `dashwire — typed real-time feed client

Usage:
  dashwire serve [--preset NAME] [--port N] [--host H] [--rate N]
  dashwire serve --replay FILE [--speed N] [--loop] [--port N]
  dashwire tail <url> [--preset NAME] [--channel C]… [--param KEY=VALUE]… [--json]
  dashwire tail <url> --record FILE [--preset NAME | --raw [--send JSON]…]
  dashwire infer FILE [--name NAME] [--format ts|js] [--out FILE]
  dashwire infer --check FILE PRESET_MODULE
  dashwire demo [--preset NAME] [--rate N] [--duration S]
  dashwire check <ws-url> [--token T] [--http URL | --no-http] [--channel C] [--timeout MS]

Run "dashwire <command> --help" for a command's options; "dashwire --version" for the version.
Presets: ${'{presets}'}
Exit codes: 0 clean, 1 usage error, 2 connection given up, 3 infer --check found untyped frames.`,
  serve: `dashwire serve — reference mock server with a synthetic feed of every message type

Options:
  --preset NAME   protocol to speak (default native; one of {presets})
  --port N        TCP port, 0–65535 (default 8080; 0 picks a free one)
  --host H        interface to listen on (default 127.0.0.1)
  --rate N        synthetic events per second (default 5; 0 disables the feed)
  --replay FILE   play back a recording (dashwire tail --record) instead of a preset
  --speed N       with --replay: playback speed (default 1; 2 is twice as fast)
  --loop          with --replay: start again after the last frame
Ctrl-C closes the server.`,
  tail: `dashwire tail — connect, subscribe and print each validated event

Usage: dashwire tail <url> [options]
Options:
  --preset NAME      the server's protocol (default native; one of {presets})
  --channel C        channel to subscribe to; repeatable (default: all the protocol's channels)
  --param KEY=VALUE  subscription parameter for every channel; repeatable;
                     commas make a list (symbols=AAPL,MSFT)
  --json             one JSON object a line: {"kind":"event"|"state"|"invalid"|"unknown",…}
  --retries N        give up after N failed reconnects (exit code 2; default: never)
  --count N          exit after N events (a positive whole number)
  --duration S       exit after S seconds
  --record FILE      also write every frame both ways, connects and closes to FILE (NDJSON,
                     see docs/infer.md)
  --raw              with --record: no preset; connect, send the --send frames, record
  --send JSON        with --raw: a frame to send after connecting; repeatable
Ctrl-C closes the connection cleanly.`,
  demo: `dashwire demo — mock server and a tailing client in one process

Options:
  --preset NAME   protocol (default native; one of {presets})
  --rate N        synthetic events per second (default 5)
  --json          print JSON lines, as tail --json does
  --duration S    stop after S seconds (default: until Ctrl-C)`,
  check: `dashwire check — conformance runner for native-protocol servers (docs/protocol.md §12)

Usage: dashwire check <ws-url> [options]
Prints one PASS/FAIL line per rule of the spec; exits 0 only when every rule passes (1 otherwise).
The server must be publishing on the channel under test while the check runs.
Options:
  --token T       authenticate with T; also checks the auth rules (§9, §8)
  --http URL      REST polling base URL (default: the WebSocket URL's origin over http)
  --no-http       skip the REST polling rules
  --channel C     a channel the server publishes on (default prices)
  --timeout MS    longest wait for one answer or event (default 5000)`,
};

function helpText(name: string): string {
  return (help[name] ?? help.main!).replaceAll('{presets}', protocolNames().join(', '));
}

/** Resolves when the signal aborts or `ms` passes (Infinity: only the signal). */
function until(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

function checkUrl(text: string | undefined, command = 'tail'): string {
  if (!text) throw new UsageError(`${command} needs a URL, e.g. dashwire ${command} ws://127.0.0.1:8080/ws`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not a URL: "${text}"`);
  }
  if (!['ws:', 'wss:'].includes(url.protocol))
    throw new UsageError(`expected a ws:// or wss:// URL, got "${url.protocol}//"`);
  return text;
}

async function serve(args: ParsedArgs, io: CliIO): Promise<number> {
  const replay = lastValue(args, 'replay');
  if (replay !== undefined) return serveReplay(replay, args, io);
  const preset = lastValue(args, 'preset') ?? 'native';
  protocolFor(preset);
  const rate = numberValue(args, 'rate', 5);
  const server = await createMockServer({
    protocol: preset,
    port: integerValue(args, 'port', 8080, { min: 0, max: 65_535, what: 'a port number from 0 to 65535' }),
    host: lastValue(args, 'host') ?? '127.0.0.1',
    feed: rate > 0 ? { rate } : false,
  });
  io.stdout.write(`dashwire mock server (${preset}) on ${server.url}  (REST: ${server.httpUrl})\n`);
  await until(io.signal, Infinity);
  await server.close();
  io.stdout.write('server closed\n');
  return exitCodes.ok;
}

async function serveReplay(path: string, args: ParsedArgs, io: CliIO): Promise<number> {
  const speed = numberValue(args, 'speed', 1);
  if (!(speed > 0)) throw new UsageError('--speed must be greater than 0');
  const recording = readRecordingFile(path);
  const server = await createMockServer({
    replay: { recording, speed, loop: args.flags.has('loop') },
    port: integerValue(args, 'port', 8080, { min: 0, max: 65_535, what: 'a port number from 0 to 65535' }),
    host: lastValue(args, 'host') ?? '127.0.0.1',
  });
  io.stdout.write(`dashwire replay of ${path} on ${server.url}  (paths: ${server.engine.dialect.paths.join(' ')})\n`);
  await until(io.signal, Infinity);
  await server.close();
  io.stdout.write('server closed\n');
  return exitCodes.ok;
}

interface TailOptions {
  readonly url: string;
  readonly protocol: Protocol;
  readonly channels: readonly string[];
  readonly params: Record<string, string | string[]>;
  readonly json: boolean;
  readonly retries: number;
  readonly count: number;
  readonly durationMs: number;
  /** Replaces the WebSocket transport (`--record` wraps it). */
  readonly transport?: Transport;
}

function tailOptions(args: ParsedArgs, url: string): TailOptions {
  const protocol = protocolFor(lastValue(args, 'preset') ?? 'native');
  const channels = args.values.get('channel') ?? [...(protocol.channels ?? [])];
  return {
    url,
    protocol,
    channels,
    params: paramsFrom(args.values.get('param') ?? []),
    json: args.flags.has('json'),
    retries: integerValue(args, 'retries', Number.POSITIVE_INFINITY, { min: 0, what: 'a whole number (0 or more)' }),
    count: integerValue(args, 'count', Number.POSITIVE_INFINITY, { min: 1, what: 'a positive whole number' }),
    durationMs: numberValue(args, 'duration', Number.POSITIVE_INFINITY) * 1000,
  };
}

async function tailWith(options: TailOptions, io: CliIO): Promise<number> {
  const printer = new FeedPrinter(io.stdout, options.json);
  // The CLI bundles `ws` (see tsup.config.ts): hand it to the client, which would otherwise look
  // for an installed `ws` in Node 20, and `npx dashwire` must work with only dashwire and zod.
  // `--record` passes its own transport, built on the same `ws` (record.ts).
  const client: Client<EventCatalog> = createClient({
    url: options.url,
    protocol: options.protocol,
    reconnect: { maxAttempts: options.retries },
    WebSocket: NodeWebSocket as unknown as WebSocketConstructor,
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  io.signal.addEventListener('abort', onAbort);
  let seen = 0;
  // Set when tail ends the client itself (Ctrl-C, --count, --duration): the `closed` that follows
  // is not a failure, so it must not repeat the last connection error (a stale connect_failed).
  let closingOurselves = false;
  client.on('state', (change) => {
    const closedByUs = closingOurselves && change.current === 'closed';
    printer.stateChange(closedByUs ? { previous: change.previous, current: change.current } : change);
    if (change.current === 'closed') stop.abort();
  });
  client.on('invalid', (m) => printer.invalidMessage(m));
  client.on('unknown', (m) => printer.unknownMessage(m));
  const print = (data: unknown, meta: EventMeta): void => {
    if (stop.signal.aborted) return;
    printer.event(data, meta);
    if (++seen >= options.count) stop.abort();
  };
  const subscribed = options.channels.map((channel) => {
    const sub = client.subscribe(channel, options.params);
    sub.onState((state, error) => {
      // Only a server's refusal is news; a close (give-up, Ctrl-C) ends every pending handle too.
      if (state === 'error' && error?.code === 'subscribe_failed')
        printer.note(`subscription ${channel} refused: ${error.message}`);
    });
    return channel;
  });
  // Every event the connection receives is printed once, whatever the subscriptions'
  // client-side filters say: a type outside the preset's named channels (a server's custom
  // broadcast) must not vanish. Channel-less servers get the first subscribed channel whose
  // filter takes the event, or none.
  const protocol = options.protocol;
  const channelOf = (meta: EventMeta, data: unknown): string | undefined =>
    meta.channel ??
    (protocol.matches
      ? subscribed.find((channel) => protocol.matches?.(channel, options.params, meta.type, data))
      : undefined);
  for (const type of Object.keys(options.protocol.events)) {
    client.on(type, (data: unknown, meta: EventMeta) => {
      const channel = channelOf(meta, data);
      print(data, channel === meta.channel ? meta : { ...meta, channel });
    });
  }
  const ticker = io.stdout.isTTY && !options.json ? setInterval(() => printer.status(), 500) : undefined;
  await until(stop.signal, options.durationMs);
  clearInterval(ticker);
  io.signal.removeEventListener('abort', onAbort);
  const gaveUp = client.state === 'closed' ? client.error : undefined;
  closingOurselves = true;
  await client.close();
  printer.finish();
  if (gaveUp) {
    io.stderr.write(`dashwire: gave up: ${gaveUp.code}: ${gaveUp.message}\n`);
    return exitCodes.gaveUp;
  }
  return exitCodes.ok;
}

async function demo(args: ParsedArgs, io: CliIO): Promise<number> {
  const preset = lastValue(args, 'preset') ?? 'native';
  const protocol = protocolFor(preset);
  const rate = numberValue(args, 'rate', 5);
  let server: MockServer | undefined;
  try {
    server = await createMockServer({ protocol: preset, port: 0, feed: rate > 0 ? { rate } : false });
    if (!args.flags.has('json'))
      io.stdout.write(`dashwire demo: mock server (${preset}) on ${server.url}; Ctrl-C to stop\n`);
    return await tailWith(
      {
        url: server.url,
        protocol,
        channels: [...(protocol.channels ?? [])],
        params: {},
        json: args.flags.has('json'),
        retries: Number.POSITIVE_INFINITY,
        count: Number.POSITIVE_INFINITY,
        durationMs: numberValue(args, 'duration', Number.POSITIVE_INFINITY) * 1000,
      },
      io,
    );
  } finally {
    await server?.close();
  }
}

/** Runs one CLI invocation and returns its exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  // Usage errors point at the help of the command being used, when there is one.
  const helpHint =
    command === 'serve' || command === 'tail' || command === 'demo' || command === 'check'
      ? `dashwire ${command} --help`
      : 'dashwire --help';
  try {
    switch (command) {
      case 'serve':
      case 'tail':
      case 'demo': {
        const args = parseArgs(rest, {
          values: [
            'preset',
            'port',
            'host',
            'rate',
            'channel',
            'param',
            'retries',
            'count',
            'duration',
            'record',
            'send',
            'replay',
            'speed',
          ],
          flags: ['json', 'help', 'raw', 'loop'],
        });
        if (args.flags.has('help')) {
          io.stdout.write(`${helpText(command)}\n`);
          return exitCodes.ok;
        }
        if (command === 'serve') return await serve(args, io);
        if (command === 'demo') return await demo(args, io);
        const url = checkUrl(args.positionals[0]);
        checkRecordFlags(args);
        if (args.flags.has('raw')) return await recordRaw(url, args, io);
        const options = tailOptions(args, url);
        const recording = startRecording(args, url, lastValue(args, 'preset') ?? 'native', io);
        try {
          return await tailWith({ ...options, ...(recording ? { transport: recording.transport } : {}) }, io);
        } finally {
          recording?.close();
        }
      }
      case 'infer':
        return await inferCommand(rest, io);
      case 'check': {
        const args = parseArgs(rest, { values: ['token', 'http', 'channel', 'timeout'], flags: ['no-http', 'help'] });
        if (args.flags.has('help')) {
          io.stdout.write(`${helpText(command)}\n`);
          return exitCodes.ok;
        }
        const http = args.flags.has('no-http') ? false : lastValue(args, 'http');
        return await check(
          checkUrl(args.positionals[0], 'check'),
          {
            token: lastValue(args, 'token'),
            httpUrl: http,
            channel: lastValue(args, 'channel'),
            timeoutMs: numberValue(args, 'timeout', 5_000),
          },
          io,
        );
      }
      case '--version':
      case '-v':
      case 'version':
        io.stdout.write(`dashwire ${version}\n`);
        return exitCodes.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${helpText('main')}\n`);
        return command === undefined ? exitCodes.usage : exitCodes.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`dashwire: ${error.message}\nRun "${helpHint}" for usage.\n`);
      return exitCodes.usage;
    }
    io.stderr.write(`dashwire: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.gaveUp;
  }
}
