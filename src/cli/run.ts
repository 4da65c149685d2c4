import { parseArgs, UsageError } from './args.js';
import { check, checkArgs } from './check.js';
import { demo } from './demo.js';
import { helpText } from './help.js';
import { inferCommand } from './infer.js';
import { exitCodes, type CliIO } from './io.js';
import { serve } from './serve.js';
import { tail } from './tail.js';
import { version } from './version.js';

export { exitCodes, type CliIO } from './io.js';

/**
 * The options of `serve`, `tail` and `demo`. The three share one list, so each accepts (and
 * ignores) the others' options: `demo --port 9000` is not a usage error.
 */
const feedArgs = {
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
} as const;

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
        const args = parseArgs(rest, feedArgs);
        if (args.flags.has('help')) return printHelp(command, io);
        if (command === 'serve') return await serve(args, io);
        if (command === 'demo') return await demo(args, io);
        return await tail(args, io);
      }
      case 'infer':
        return await inferCommand(rest, io);
      case 'check': {
        const args = parseArgs(rest, checkArgs);
        if (args.flags.has('help')) return printHelp(command, io);
        return await check(args, io);
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

function printHelp(command: string, io: CliIO): number {
  io.stdout.write(`${helpText(command)}\n`);
  return exitCodes.ok;
}
