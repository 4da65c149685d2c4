import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.js';
import type { Client } from '../../src/client/types.js';
import type { EventCatalog } from '../../src/events.js';
import { checkRecording } from '../../src/infer/check.js';
import type { Recording } from '../../src/infer/recording.js';
import { createMockServer, seededRandom, type MockServer, type ServerDialect } from '../../src/mock-server/index.js';
import { batchedDialect, batchedTypes } from '../fixtures/infer/batched.js';
import { mixedTimesDialect, mixedTypes } from '../fixtures/infer/mixed-times.js';
import { tdDialect, tdTypes } from '../fixtures/infer/td-envelope.js';
import { waitFor } from '../helpers/wait.js';
import { cli, loadGenerated, readRecording, scratch, typecheck } from './harness.js';

interface Fixture {
  readonly dialect: () => ServerDialect;
  readonly types: readonly string[];
  /** Frames `tail --raw` sends after connecting. */
  readonly send: readonly object[];
}

const fixtures: Record<string, Fixture> = {
  td: { dialect: tdDialect, types: [...tdTypes, 'hello'], send: [{ t: 'ping', id: 1 }] },
  batched: {
    dialect: batchedDialect,
    types: batchedTypes,
    send: [
      { action: 'subscribe', channel: 'quotes' },
      { action: 'subscribe', channel: 'fills' },
    ],
  },
  mixed: { dialect: mixedTimesDialect, types: mixedTypes, send: [] },
};
const names = Object.keys(fixtures);

const dir = scratch();
const recordings = new Map<string, Recording>();
const generated = new Map<string, string>();
const servers = new Map<string, MockServer>();

/** Server-chosen names that would break a naive generator: comment ends, newlines, quotes, reserved and prototype names. */
const hostileFrames = [
  { type: '*/ evil\nconsole.log(1)', a: 1 },
  { type: 'state', x: 'y' },
  { type: '__proto__', __proto__: { p: 1 }, b: '*/' },
  { type: "it's", "we'ird key": 'x', 'line\nkey': 2, '*/': 3, id: '*/\n' },
  { type: 'constructor', toString: 'x', channel: '\u2028' },
].map((f) => (f.type === '__proto__' ? '{"type":"__proto__","__proto__":{"p":1},"b":"*/"}' : JSON.stringify(f)));
/** Ordinary frames, so that `type` is still found as the discriminator (90% of messages carry it as an identifier). */
const ordinaryFrames = Array.from({ length: 20 }, (_, n) => JSON.stringify({ type: 'tick', n }));

describe('infer against fixture servers with wire shapes no preset has', () => {
  beforeAll(async () => {
    await Promise.all(
      names.map(async (name) => {
        const fixture = fixtures[name]!;
        const server = await createMockServer({
          protocol: fixture.dialect(),
          feed: { rate: 400 },
          random: seededRandom(7),
        });
        servers.set(name, server);
        const send = fixture.send.flatMap((f) => ['--send', JSON.stringify(f)]);
        await cli(['tail', server.url, '--record', dir.file(`${name}.ndjson`), '--raw', ...send, '--count', '150']);
        recordings.set(name, readRecording(dir.file(`${name}.ndjson`)));
        const text = await cli(['infer', dir.file(`${name}.ndjson`), '--name', `${name}-backend`]);
        generated.set(name, text);
        dir.write(`${name}.ts`, text);
      }),
    );
    const header = JSON.stringify({
      format: 'dashwire-recording',
      version: 1,
      startedAt: '2026-01-01T00:00:00Z',
      url: 'ws://h/x*/y',
      preset: null,
    });
    const entries = [
      { t: 0, conn: 1, kind: 'connect', url: 'ws://h/x*/y' },
      { t: 1, conn: 1, kind: 'open' },
      ...['oops', '[1,2]', ...hostileFrames, ...ordinaryFrames].map((frame, i) => ({
        t: 2 + i,
        conn: 1,
        kind: 'in',
        frame,
      })),
    ];
    dir.write('hostile.ndjson', [header, ...entries.map((e) => JSON.stringify(e))].join('\n'));
    dir.write('hostile.ts', await cli(['infer', dir.file('hostile.ndjson'), '--name', 'default']));
  }, 60_000);
  afterAll(async () => {
    for (const server of servers.values()) await server.close();
    dir.dispose();
  });

  it.each(names)('%s: decodes its recording with 0 invalid, every message type typed', async (name) => {
    const report = checkRecording(recordings.get(name)!, await loadGenerated(dir.file(`${name}.ts`)));
    expect(report.totals).toMatchObject({ invalid: 0, unknown: 0, malformed: 0 });
    const typed = [...report.types].filter(([, c]) => c.typed > 0).map(([t]) => t);
    expect(new Set(typed)).toEqual(new Set(fixtures[name]!.types));
  });

  it('td: finds the `t` discriminator, the `d` envelope, decimal strings, unix ms, the welcome, pong and ping', () => {
    const text = generated.get('td')!;
    expect(text).toContain('Message type: "t"');
    expect(text).toMatch(/Envelope: \{t, d, …\}/);
    expect(text).toMatch(/px: decimalString, \/\/ \d+\/\d+; decimal string/);
    expect(text).toMatch(/ts: unixMillis, \/\/ \d+\/\d+; unix ms/);
    expect(text).toMatch(/bids: z\.array\(z\.array\(decimalString\)\)/);
    expect(text).toMatch(/side: z\.enum\(\['buy', 'sell'\]\)/);
    expect(text).toMatch(/note: z\.string\(\)\.nullable\(\), \/\/ \d+\/\d+; .*null \d+\/\d+/);
    expect(text).toContain("case 'hello': // welcome");
    expect(text).toContain("case 'pong': // pong");
    expect(text).toContain("encodePing: (id) => JSON.stringify({ t: 'ping', id })");
    expect(text).toContain('const { t: type, ...data }');
  });

  it('batched: decodes arrays as batches, the lone heartbeat as liveness, and reproduces the subscribe frame', async () => {
    const text = generated.get('batched')!;
    expect(text).toContain('Message type: "event"');
    expect(text).toContain('parsed.flatMap(itemsOf)');
    expect(text).toContain("case 'heartbeat': // pong");
    expect(text).toMatch(/halted: z\.boolean\(\)\.optional\(\), \/\/ optional: \d+\/\d+/);
    expect(text).toMatch(/at: unixSeconds/);
    expect(text).toContain(
      "encodeSubscribe: ({ channel, params }) => JSON.stringify({ action: 'subscribe', ...params, channel })",
    );
    // The generated client talks to the live server: its subscribe frame is accepted and
    // the events arrive typed, on their channel.
    const protocol = await loadGenerated(dir.file('batched.ts'));
    const client: Client<EventCatalog> = createClient({ url: servers.get('batched')!.url, protocol });
    try {
      const fills: unknown[] = [];
      client.subscribe('fills').on('fill', (m: unknown) => fills.push(m));
      await waitFor(() => fills.length >= 3, 5_000);
      expect(fills[0]).toMatchObject({
        order_id: expect.stringMatching(/^o-/),
        filled: expect.stringMatching(/^\d+\.\d{3}$/),
      });
      expect(client.stats().invalid).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('mixed: a field seen as ISO (Z and offset), unix seconds and unix ms is a union of all of them', () => {
    const text = generated.get('mixed')!;
    expect(text).toContain('Message type: "kind"');
    expect(text).toMatch(
      / at: z\.union\(\[unixTime, isoDateTime\]\), \/\/ 100\/100; mixed: \d+ number \+ \d+ string; unix seconds \d+ \+ unix ms \d+; ISO date-time \d+\/\d+/,
    );
    expect(text).toMatch(/raised_at: z\.union\(\[unixTime, isoDateTime\]\)/);
    expect(text).toMatch(/level: z\.(enum|string)\(/);
    expect(text).toMatch(/acknowledged_by: z\.string\(\)\.optional\(\), \/\/ optional: \d+\/\d+/);
    expect(text).toMatch(
      /tags: z\.array\(z\.enum\(\['s1', 's2', 's3', 's4', 'temp'\]\)\), \/\/ 50\/50; items: enum: 5 values in 100 samples/,
    );
  });

  it('--format js writes ESM with JSDoc that loads without a compiler, checks clean, and type-checks like the .ts files', async () => {
    await cli(['infer', dir.file('td.ndjson'), '--name', 'td-backend', '--out', dir.file('td.mjs')]);
    const js = readFileSync(dir.file('td.mjs'), 'utf8');
    expect(js).not.toMatch(/: Inbound|as Record|import type|type Inbound/);
    expect(await cli(['infer', '--check', dir.file('td.ndjson'), dir.file('td.mjs')])).toMatch(
      /total: \d+ typed, 0 invalid, 0 unknown/,
    );
    expect(typecheck([...names.map((n) => dir.file(`${n}.ts`)), dir.file('td.mjs'), dir.file('hostile.ts')])).toEqual(
      [],
    );
  }, 60_000);

  it('a frame of a known type with a field of the wrong type is invalid', async () => {
    const protocol = await loadGenerated(dir.file('mixed.ts'));
    const entries = [
      {
        t: 0,
        conn: 1,
        kind: 'in' as const,
        frame: JSON.stringify({ kind: 'reading', sensor: 's1', value: 'warm', unit: 'C', at: 1_700_000_000 }),
      },
      {
        t: 1,
        conn: 1,
        kind: 'in' as const,
        frame: JSON.stringify({ kind: 'reading', sensor: 's1', value: 1, unit: 'C', at: 'noon' }),
      },
      {
        t: 2,
        conn: 1,
        kind: 'in' as const,
        frame: JSON.stringify({ kind: 'reading', sensor: 's1', value: 1, unit: 'C', at: 1_700_000_000, extra: 'kept' }),
      },
    ];
    const report = checkRecording({ header: recordings.get('mixed')!.header, entries }, protocol);
    expect(report.types.get('reading')).toMatchObject({ typed: 1, invalid: 2 });
  });

  it('server-chosen names cannot break the generated module: it loads, and every message is typed', async () => {
    const text = readFileSync(dir.file('hostile.ts'), 'utf8');
    expect(text).toContain('export function defaultPreset(');
    expect(text).not.toMatch(/^console\.log/m);
    const report = checkRecording(
      readRecording(dir.file('hostile.ndjson')),
      await loadGenerated(dir.file('hostile.ts')),
    );
    expect(report.totals).toMatchObject({
      typed: hostileFrames.length + ordinaryFrames.length,
      invalid: 0,
      unknown: 0,
    });
    expect([...report.types.keys()]).toEqual(
      expect.arrayContaining(['state_message', '__proto___message', "it's", 'constructor_message']),
    );
  });

  it('infer refuses a file that is not a recording, and a recording without JSON messages', async () => {
    dir.write('junk.ndjson', 'hello\nworld\n');
    expect(await cli(['infer', dir.file('junk.ndjson')], 1)).toBe('');
    const header = readFileSync(dir.file('td.ndjson'), 'utf8').split('\n')[0];
    dir.write('empty.ndjson', `${header}\n${JSON.stringify({ t: 0, conn: 1, kind: 'in', frame: 'not json' })}\n`);
    expect(await cli(['infer', dir.file('empty.ndjson')], 1)).toBe('');
  });
});
