import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  polling,
  native,
  type Client,
  type EventCatalog,
  type FetchLike,
  type InvalidMessage,
  type Protocol,
  type Transport,
} from '../../src/index.js';
import { presets } from '../../src/backends/presets.js';
import { pipeTransport } from './harness.js';
import { flush } from '../helpers/scripted-server.js';

/**
 * Hostile input: every protocol's decoder, and the client around it, fed arbitrary frames.
 * Guarantees: nothing throws out of decode or the client, no prototype is polluted, every
 * rejection is an `invalid` with a typed reason, and oversize frames are never parsed.
 */

type AnyProtocol = Protocol<EventCatalog>;

// Every preset that exists now, with its default options, plus native().
const protocols: [string, () => AnyProtocol][] = [
  ['native', () => native()],
  ...Object.entries(presets).map(([name, make]): [string, () => AnyProtocol] => [
    name,
    () => (make as () => AnyProtocol)(),
  ]),
];

const reasons = new Set(['malformed', 'oversize', 'schema']);
const kinds = new Set(['event', 'welcome', 'ack', 'error', 'pong', 'malformed']);
const polluting = ['polluted', 'isAdmin', 'toString2'];

/** Keys a decoder looks at, plus the ones that attack prototypes. */
const envelopeKeys = [
  'op',
  'type',
  'action',
  'event',
  'channel',
  'seq',
  'id',
  'data',
  'payload',
  'timestamp',
  'ts',
  'code',
  'message',
  'heartbeatMs',
  'retryAfterMs',
  'recovered',
  '__proto__',
  'constructor',
  'prototype',
];

function frames(protocol: AnyProtocol): fc.Arbitrary<string> {
  const typeNames = [
    ...Object.keys(protocol.events),
    'error',
    'pong',
    'ping',
    'welcome',
    'ack',
    'event',
    'connected',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'toString',
  ];
  const scalar = fc.oneof(
    fc.constantFrom(...typeNames),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(1e308, -0, 2 ** 53 + 1, -1),
  );
  const value = fc.oneof(
    scalar,
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(fc.constantFrom(...envelopeKeys), scalar),
  );
  // JSON.stringify cannot write a "__proto__" own key, so the attack keys are spliced in as text.
  const attack = fc.constantFrom(
    '"__proto__":{"polluted":"yes","isAdmin":true}',
    '"constructor":{"prototype":{"polluted":"yes"}}',
    '"data":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"isAdmin":true}}}',
    '"prototype":{"toString2":"x"}',
  );
  const envelope = fc
    .tuple(
      fc.dictionary(fc.constantFrom(...envelopeKeys), value, { maxKeys: 8 }),
      fc.option(attack, { nil: undefined }),
    )
    .map(([obj, extra]) => {
      const text = JSON.stringify(obj);
      return extra === undefined ? text : text === '{}' ? `{${extra}}` : `{${extra},${text.slice(1)}`;
    });
  const bytes = fc.uint8Array({ maxLength: 256 }).map((b) => new TextDecoder().decode(b));
  const deep = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"data":')).map(([n, open]) => {
    const close = open === '[' ? ']' : '}';
    return `${open.repeat(n)}1${close.repeat(n)}`;
  });
  const batch = fc.array(envelope, { maxLength: 5 }).map((items) => `[${items.join(',')}]`);
  return fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    bytes,
    fc.jsonValue().map((v) => JSON.stringify(v)),
    envelope,
    envelope,
    envelope,
    deep,
    batch,
  );
}

function snapshotPrototypes(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) =>
    Object.getOwnPropertyNames(p).sort().join(','),
  );
}

describe.each(protocols)('hostile input: %s', (_name, make) => {
  const clients: Client<EventCatalog>[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const c of clients.splice(0)) await c.close();
  });

  it('decode never throws and returns only known item kinds', () => {
    const protocol = make();
    const before = snapshotPrototypes();
    fc.assert(
      fc.property(frames(protocol), (frame) => {
        const items = protocol.decode(frame);
        expect(Array.isArray(items)).toBe(true);
        for (const item of items) expect(kinds.has(item.kind)).toBe(true);
      }),
      { numRuns: 400, seed: 6 },
    );
    expect(snapshotPrototypes()).toEqual(before);
    for (const key of polluting) expect(({} as Record<string, unknown>)[key]).toBeUndefined();
  });

  it('the client survives any frame: typed rejections, no throw, no pollution, and valid frames still flow', async () => {
    const protocol = make();
    const pipe = pipeTransport();
    const client = createClient({
      url: 'wss://fuzz.test/ws',
      protocol,
      transport: pipe.transport,
      heartbeat: false,
      reconnect: false,
    });
    clients.push(client);
    const invalid: InvalidMessage[] = [];
    const errors: unknown[] = [];
    const delivered: unknown[] = [];
    client.on('invalid', (m) => invalid.push(m));
    client.on('error', (e) => errors.push(e));
    for (const type of Object.keys(protocol.events)) {
      client.on(type as never, ((payload: unknown) => delivered.push(payload)) as never);
    }
    for (const channel of protocol.channels ?? ['prices']) client.subscribe(channel);
    await flush();
    expect(pipe.connections.length).toBeGreaterThan(0);
    const before = snapshotPrototypes();
    fc.assert(
      fc.property(frames(protocol), (frame) => {
        const invalidBefore = invalid.length;
        expect(() => pipe.push(frame)).not.toThrow();
        for (const m of invalid.slice(invalidBefore)) {
          expect(reasons.has(m.reason)).toBe(true);
          expect(typeof m.detail).toBe('string');
        }
      }),
      { numRuns: 400, seed: 7 },
    );
    expect(snapshotPrototypes()).toEqual(before);
    for (const key of polluting) expect(({} as Record<string, unknown>)[key]).toBeUndefined();
    // Whatever was delivered passed its schema: no payload carries an attacker's prototype.
    for (const payload of delivered) {
      if (typeof payload === 'object' && payload !== null) {
        const proto: unknown = Object.getPrototypeOf(payload);
        expect(proto === Object.prototype || proto === Array.prototype || proto === null).toBe(true);
      }
    }
    // Server error frames legitimately surface as `server_error`; nothing else may (a decoder
    // or handler blowing up would show as another code).
    for (const e of errors)
      expect(e).toMatchObject({ name: 'DashwireError', code: expect.stringMatching(/^(server_error|auth_failed)$/) });
    expect(client.state).not.toBe('closed');
    expect(client.stats().invalid).toBe(invalid.length);
  });

  it('frames over maxMessageBytes are rejected as `oversize` before any JSON.parse', async () => {
    const protocol = make();
    const pipe = pipeTransport();
    const client = createClient({
      url: 'wss://fuzz.test/ws',
      protocol,
      transport: pipe.transport,
      heartbeat: false,
      reconnect: false,
      maxMessageBytes: 1_024,
    });
    clients.push(client);
    const invalid: InvalidMessage[] = [];
    client.on('invalid', (m) => invalid.push(m));
    for (const channel of protocol.channels ?? ['prices']) client.subscribe(channel);
    await flush();
    const parse = vi.spyOn(JSON, 'parse');
    // 1,025 ASCII bytes, and 400 characters that are 1,200 bytes in UTF-8 (the limit is bytes).
    const type = Object.keys(protocol.events)[0]!;
    pipe.push(JSON.stringify({ op: 'event', type, data: { pad: 'x'.repeat(1_000) } }));
    pipe.push(`"${'€'.repeat(400)}"`);
    pipe.push(`{"type":"${type}","data":"${'y'.repeat(5_000_000)}"}`);
    expect(parse).not.toHaveBeenCalled();
    // Once per frame per socket (protocols with one endpoint per feed have several).
    const sockets = pipe.connections.filter((c) => !c.closed).length;
    expect(invalid).toHaveLength(3 * sockets);
    expect(invalid.every((m) => m.reason === 'oversize')).toBe(true);
    // A raw excerpt for diagnostics, never the whole multi-megabyte frame.
    expect(invalid[2]!.raw.length).toBeLessThanOrEqual(1_024);
  });
});

describe('hostile input: a user-written protocol', () => {
  it('a decode that throws something unprintable becomes `malformed`, not an exception', async () => {
    const base = native() as unknown as AnyProtocol;
    // An object whose toString throws: String(error) on it would throw again.
    const nasty = Object.create(null) as object;
    const protocol: AnyProtocol = {
      ...base,
      decode: () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point: a thrown non-Error without a prototype.
        throw nasty;
      },
    };
    const pipe = pipeTransport();
    const client = createClient({
      url: 'wss://fuzz.test/ws',
      protocol,
      transport: pipe.transport,
      heartbeat: false,
      reconnect: false,
    });
    const invalid: InvalidMessage[] = [];
    client.on('invalid', (m) => invalid.push(m));
    await flush();
    expect(() => pipe.push('{"op":"event"}')).not.toThrow();
    expect(invalid.map((m) => m.reason)).toEqual(['malformed']);
    await client.close();
  });
});

describe('hostile input: REST polling bodies', () => {
  it('a poll response over maxMessageBytes is rejected as `oversize` before any JSON.parse, and polling goes on', async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      calls++;
      const body =
        calls === 1
          ? JSON.stringify({
              events: [{ op: 'event', channel: 'prices', seq: 1, type: 'x', data: 'y'.repeat(5_000) }],
              next: 1,
            })
          : JSON.stringify({ events: [], next: 1 });
      return { status: 200, headers: { get: () => null }, text: async () => body };
    };
    // A WebSocket transport that never opens: the client stays on polling.
    const never: Transport = { kind: 'never', connect: () => ({ send() {}, close() {} }) };
    const client = createClient({
      url: 'ws://feed.test/ws',
      transport: never,
      maxMessageBytes: 1_024,
      fallback: polling({ url: 'http://feed.test', intervalMs: 10, fetch }),
    });
    const invalid: InvalidMessage[] = [];
    client.on('invalid', (m) => invalid.push(m));
    client.subscribe('prices');
    const parse = vi.spyOn(JSON, 'parse');
    client.usePolling();
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2));
    // The first body was refused unparsed; the second (small) one was parsed normally.
    expect(invalid.map((m) => m.reason)).toEqual(['oversize']);
    expect(invalid[0]!.raw.length).toBeLessThanOrEqual(1_024);
    expect(parse.mock.calls.every(([text]) => typeof text === 'string' && text.length < 1_024)).toBe(true);
    expect(client.state).toBe('polling');
    vi.restoreAllMocks();
    await client.close();
  });
});
