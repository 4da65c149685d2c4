import { createMockServer, type MockServer } from '../mock-server/index.js';
import { lastValue, numberValue, type ParsedArgs } from './args.js';
import type { CliIO } from './io.js';
import { protocolFor } from './protocols.js';
import { tailWith } from './tail.js';

/** `dashwire demo`: a mock server on a free port and a tail of it, in one process. */
export async function demo(args: ParsedArgs, io: CliIO): Promise<number> {
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
