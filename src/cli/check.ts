import { lastValue, numberValue, type ParsedArgs } from './args.js';
import type { CheckOptions } from './conformance/options.js';
import { runCheck } from './conformance/run-check.js';
import type { CliIO } from './io.js';
import { requireWsUrl } from './ws-url.js';

/** The options `dashwire check` accepts. */
export const checkArgs = { values: ['token', 'http', 'channel', 'timeout'], flags: ['no-http', 'help'] } as const;

/**
 * `dashwire check <ws-url> [--token T] [--http URL | --no-http] [--channel C] [--timeout MS]`:
 * one PASS/FAIL line per rule as it is decided, then the totals; exit 0 only when every rule passed.
 */
export async function check(args: ParsedArgs, io: CliIO): Promise<number> {
  const http = args.flags.has('no-http') ? false : lastValue(args, 'http');
  const url = requireWsUrl(args.positionals[0], 'check');
  const options: CheckOptions = {
    url,
    token: lastValue(args, 'token'),
    httpUrl: http,
    channel: lastValue(args, 'channel'),
    timeoutMs: numberValue(args, 'timeout', 5_000),
  };
  io.stdout.write(`dashwire check ${url}\n`);
  const results = await runCheck(options, (r) => {
    io.stdout.write(`${r.ok ? 'PASS' : 'FAIL'} ${r.section.padEnd(4)} ${r.rule}${r.ok ? '' : ` — ${r.detail}`}\n`);
  });
  const failed = results.filter((r) => !r.ok).length;
  io.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}
