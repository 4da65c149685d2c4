// Samples of docs/validation.md.
import { createClient, defineEvents, defineProtocol, native, type Inbound, type SubscribeRequest } from 'dashwire';
import * as z from 'zod';
import * as zm from 'zod/mini';

// Your own catalogue for the native protocol: one schema per message type.
export const orderEvents = defineEvents({
  order_filled: z.object({ id: z.string(), symbol: z.string(), price: z.string(), quantity: z.string() }),
  // zod/mini schemas work too: dashwire types schemas as zod/v4/core's $ZodType.
  order_cancelled: zm.object({ id: zm.string(), reason: zm.optional(zm.string()) }),
});

// @ts-expect-error — "error" is reserved for the client's lifecycle events.
defineEvents({ error: z.object({ message: z.string() }) });

export function orders(): void {
  const client = createClient({ url: 'ws://localhost:8080/ws', protocol: native({ events: orderEvents }) });
  client.on('order_filled', (fill) => console.log(fill.symbol, fill.quantity, '@', fill.price)); // strings
  client.on('order_cancelled', (c) => console.log(c.id, c.reason ?? ''));
  client.on('invalid', (m) => {
    // m.reason: 'malformed' | 'oversize' | 'schema'; m.issues are zod issues for 'schema'.
    console.warn(
      m.reason,
      m.type ?? '-',
      m.detail,
      m.issues?.map((i) => i.path.join('.')),
    );
  });
  client.on('unknown', (m) => console.warn('unknown type', m.type));
}

// A complete protocol for a server dashwire has no preset for:
//   server → {"t":"quote","sym":"AAPL","px":"189.10"} | {"t":"pong"} | {"t":"err","msg":"…"}
//   client → {"cmd":"sub","ch":"quotes"} | {"cmd":"unsub","ch":"quotes"} | {"cmd":"ping"}
const quoteEvents = defineEvents({
  quote: z.object({ sym: z.string(), px: z.string().regex(/^\d+(\.\d+)?$/) }),
});

function decodeQuotes(frame: string): Inbound[] {
  let msg: unknown;
  try {
    msg = JSON.parse(frame);
  } catch {
    return [{ kind: 'malformed', detail: 'not JSON' }];
  }
  if (typeof msg !== 'object' || msg === null || !('t' in msg)) return [{ kind: 'malformed', detail: 'no "t" field' }];
  const { t, ...data } = msg as { t: unknown } & Record<string, unknown>;
  if (t === 'pong') return [{ kind: 'pong' }];
  if (t === 'err') return [{ kind: 'error', code: 'server', message: typeof data.msg === 'string' ? data.msg : '' }];
  if (typeof t !== 'string') return [{ kind: 'malformed', detail: '"t" is not a string' }];
  return [{ kind: 'event', type: t, data, channel: 'quotes' }];
}

export const quotesProtocol = defineProtocol({
  name: 'quotes',
  events: quoteEvents,
  channels: ['quotes'],
  decode: decodeQuotes, // must not throw: bad input becomes a 'malformed' item
  encodeSubscribe: ({ channel }: SubscribeRequest) => JSON.stringify({ cmd: 'sub', ch: channel }),
  encodeUnsubscribe: ({ channel }: SubscribeRequest) => JSON.stringify({ cmd: 'unsub', ch: channel }),
  encodePing: () => JSON.stringify({ cmd: 'ping' }),
  heartbeat: { intervalMs: 20_000, timeoutMs: 10_000 },
  acks: false, // no ack frames: a sent subscribe counts as subscribed
  resumable: false, // no per-channel seq
  keys: { quote: (q) => q.sym },
  fatalCloseCodes: [4003],
});

export function quotes(): void {
  const client = createClient({ url: 'wss://quotes.example.com/stream', protocol: quotesProtocol });
  client.subscribe('quotes').on('quote', (q) => console.log(q.sym, q.px));
  console.log(client.latest('quote', 'AAPL')?.px);
}
