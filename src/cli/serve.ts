import { createMockServer } from '../mock-server/index.js';
import { integerValue, lastValue, numberValue, UsageError, type ParsedArgs } from './args.js';
import { readRecordingFile } from './infer.js';
import { exitCodes, type CliIO } from './io.js';
import { protocolFor } from './protocols.js';
import { until } from './until.js';

const portRange = { min: 0, max: 65_535, what: 'a port number from 0 to 65535' } as const;

/** `dashwire serve`: the mock server with a preset's synthetic feed, or `--replay` of a recording, until Ctrl-C. */
export async function serve(args: ParsedArgs, io: CliIO): Promise<number> {
  const replay = lastValue(args, 'replay');
  if (replay !== undefined) return serveReplay(replay, args, io);
  const preset = lastValue(args, 'preset') ?? 'native';
  protocolFor(preset);
  const rate = numberValue(args, 'rate', 5);
  const server = await createMockServer({
    protocol: preset,
    port: integerValue(args, 'port', 8080, portRange),
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
    port: integerValue(args, 'port', 8080, portRange),
    host: lastValue(args, 'host') ?? '127.0.0.1',
  });
  io.stdout.write(`dashwire replay of ${path} on ${server.url}  (paths: ${server.engine.dialect.paths.join(' ')})\n`);
  await until(io.signal, Infinity);
  await server.close();
  io.stdout.write('server closed\n');
  return exitCodes.ok;
}
