import { WebSocket as NodeWebSocket } from 'ws';
import { createClient } from '../client/client.js';
import type { EventMeta } from '../client/message-types.js';
import type { Client } from '../client/types.js';
import type { EventCatalog } from '../events.js';
import type { Protocol } from '../protocol/types.js';
import type { Transport } from '../transport/types.js';
import type { WebSocketConstructor } from '../transport/websocket.js';
import { integerValue, lastValue, numberValue, paramsFrom, type ParsedArgs } from './args.js';
import { exitCodes, type CliIO } from './io.js';
import { FeedPrinter } from './output.js';
import { protocolFor } from './protocols.js';
import { checkRecordFlags, recordRaw, startRecording } from './record.js';
import { until } from './until.js';
import { requireWsUrl } from './ws-url.js';

/** `dashwire tail <url>`: `--raw` records without a preset; otherwise tails (and with `--record` also records). */
export async function tail(args: ParsedArgs, io: CliIO): Promise<number> {
  const url = requireWsUrl(args.positionals[0], 'tail');
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

/** What {@link tailWith} runs with: `tail`'s flags, or the settings `demo` picks. */
export interface TailOptions {
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

/** Connects, subscribes, prints each event and state change; resolves with the exit code when it ends. */
export async function tailWith(options: TailOptions, io: CliIO): Promise<number> {
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
