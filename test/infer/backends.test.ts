import { copyFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolFor } from '../../src/cli/protocols.js';
import { checkRecording, type CheckReport } from '../../src/infer/check.js';
import type { Recording } from '../../src/infer/recording.js';
import { isRecord } from '../../src/protocol/json.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { createClient } from '../../src/client/client.js';
import type { Client } from '../../src/client/types.js';
import type { EventMeta } from '../../src/client/message-types.js';
import type { EventCatalog } from '../../src/events.js';
import { waitFor } from '../helpers/wait.js';
import { cli, loadGenerated, readRecording, scratch, typecheck } from './harness.js';

const backends = ['cryptoPortfolio', 'ares', 'channelFeed', 'agentTracker', 'sentio'] as const;
type Backend = (typeof backends)[number] | 'native';

const dir = scratch();
const recordings = new Map<Backend, Recording>();

/** Records `count` events of a backend's mock server through `dashwire tail --record`, then infers. */
async function recordAndInfer(backend: Backend): Promise<void> {
  const server = await createMockServer({ protocol: backend, feed: { rate: 400 } });
  try {
    await cli([
      'tail',
      server.url,
      '--preset',
      backend,
      '--record',
      dir.file(`${backend}.ndjson`),
      '--count',
      '120',
      '--json',
    ]);
  } finally {
    await server.close();
  }
  recordings.set(backend, readRecording(dir.file(`${backend}.ndjson`)));
  dir.write(`${backend}.ts`, await cli(['infer', dir.file(`${backend}.ndjson`), '--name', `${backend}Inferred`]));
}

/** Types that decoded to a valid event, and protocol item kinds seen. */
function outcome(report: CheckReport): { typed: string[]; protocol: string[] } {
  const typed = [...report.types]
    .filter(([, c]) => c.typed > 0)
    .map(([t]) => t)
    .sort();
  const protocol = [...report.types]
    .filter(([, c]) => c.protocol > 0)
    .map(([t]) => t)
    .sort();
  return { typed, protocol };
}

/** The frame with its first scalar leaf (other than the type field) changed to another JSON type. */
function breakFirstField(frame: string, typeKey: string): { frame: string; path: string } {
  const msg = JSON.parse(frame) as Record<string, unknown>;
  const visit = (value: Record<string, unknown>, path: string[]): string | undefined => {
    for (const [key, v] of Object.entries(value)) {
      if (path.length === 0 && key === typeKey) continue;
      if (typeof v === 'string') return ((value[key] = 12345), [...path, key].join('.'));
      if (typeof v === 'number' || typeof v === 'boolean')
        return ((value[key] = 'not-a-number'), [...path, key].join('.'));
      if (isRecord(v)) {
        const hit = visit(v, [...path, key]);
        if (hit) return hit;
      }
      if (Array.isArray(v) && isRecord(v[0])) {
        const hit = visit(v[0], [...path, key, '0']);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  const path = visit(msg, []);
  if (!path) throw new Error(`no scalar field in ${frame}`);
  return { frame: JSON.stringify(msg), path };
}

describe('record → infer → check, for each built-in backend', () => {
  beforeAll(async () => {
    await Promise.all([...backends, 'native' as const].map(recordAndInfer));
  }, 60_000);
  afterAll(() => dir.dispose());

  it.each(backends)('%s: the recording holds both directions and connection events', (backend) => {
    const recording = recordings.get(backend)!;
    expect(recording.header).toMatchObject({ format: 'dashwire-recording', version: 1, preset: backend });
    const kinds = new Set(recording.entries.map((e) => e.kind));
    expect(kinds).toEqual(
      new Set([
        'connect',
        'open',
        'in',
        'close',
        ...(backend === 'channelFeed' || backend === 'sentio' ? ['out'] : []),
      ]),
    );
    // Every connection closes, and the client says it closed them (the tail ended).
    const closes = recording.entries.filter((e) => e.kind === 'close');
    expect(closes.length).toBe(backend === 'sentio' ? 5 : 1);
    for (const c of closes) expect(c).toMatchObject({ by: 'client', code: expect.any(Number) });
  });

  it.each(backends)(
    '%s: the generated preset decodes the recording with 0 invalid, typing every message type on the wire',
    async (backend) => {
      const recording = recordings.get(backend)!;
      const generated = checkRecording(recording, await loadGenerated(dir.file(`${backend}.ts`)));
      expect(generated.totals).toMatchObject({ invalid: 0, unknown: 0, malformed: 0 });
      // The wire's types, read independently of inference: every `type` the server sent.
      const wire = new Set(
        recording.entries.flatMap((e) => (e.kind === 'in' ? [(JSON.parse(e.frame) as { type: string }).type] : [])),
      );
      expect(new Set(outcome(generated).typed)).toEqual(wire);
      // The built-in preset sees the same frames: its events (typed, or unknown where its catalogue
      // names them differently or not at all) are the generated preset's typed events, and the
      // protocol items (welcomes) are the same.
      const builtIn = checkRecording(recording, protocolFor(backend));
      expect(builtIn.totals).toMatchObject({ invalid: 0, malformed: 0 });
      expect(generated.totals.typed).toBe(builtIn.totals.typed + builtIn.totals.unknown);
      expect(outcome(generated).protocol).toEqual(outcome(builtIn).protocol);
    },
  );

  it.each(backends)('%s: a frame with a field of the wrong type is invalid', async (backend) => {
    const recording = recordings.get(backend)!;
    const protocol = await loadGenerated(dir.file(`${backend}.ts`));
    const frames = recording.entries.flatMap((e) => (e.kind === 'in' ? [e.frame] : []));
    // One broken frame per message type seen.
    const byType = new Map<string, string>();
    for (const f of frames)
      byType.set((JSON.parse(f) as { type: string }).type, byType.get((JSON.parse(f) as { type: string }).type) ?? f);
    const broken = [...byType.values()].map((f) => breakFirstField(f, 'type').frame);
    const report = checkRecording(
      { header: recording.header, entries: broken.map((frame, i) => ({ t: i, conn: 1, kind: 'in' as const, frame })) },
      protocol,
    );
    expect(report.totals.typed).toBe(0);
    expect(report.totals.invalid).toBe(broken.length);
  });

  it.each(['sentio', 'channelFeed'] as const)(
    '%s: the generated client against a replay of its recording gets every recorded event, typed, on its channel',
    async (backend) => {
      const server = await createMockServer({ replay: { path: dir.file(`${backend}.ndjson`), speed: 20 } });
      const protocol = await loadGenerated(dir.file(`${backend}.ts`));
      const client: Client<EventCatalog> = createClient({ url: server.url, protocol });
      try {
        const got: EventMeta[] = [];
        for (const channel of protocol.channels ?? []) {
          const sub = client.subscribe(channel);
          for (const type of Object.keys(protocol.events))
            sub.on(type, (_data: unknown, meta: EventMeta) => got.push(meta));
        }
        const recorded = recordings.get(backend)!.entries.filter((e) => e.kind === 'in').length;
        await waitFor(() => got.length >= recorded, 5_000);
        expect(got).toHaveLength(recorded);
        expect(client.stats()).toMatchObject({ invalid: 0, unknown: 0 });
        for (const meta of got) expect(protocol.channels).toContain(meta.channel);
      } finally {
        await client.close();
        await server.close();
      }
    },
  );

  it('every generated module type-checks under strict settings', () => {
    // A control in the same program: the check does report errors in the files it is given.
    const control = dir.write(
      'control.ts',
      "import { presets } from 'dashwire';\nexport const n: number = presets.ares().name;\n",
    );
    const diagnostics = typecheck([...backends.map((b) => dir.file(`${b}.ts`)), dir.file('native.ts'), control]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toContain('control.ts:2: Type');
  }, 60_000);

  it('native: two-level types ({op:"event", type}) are found, events route by the channel field they carry', async () => {
    const text = readFileSync(dir.file('native.ts'), 'utf8');
    expect(text).toMatch(/\/\/ Message type: "op", and "type" inside "event" \(\d+\/\d+ messages\)/);
    expect(text).toContain("const channel = typeof data['channel'] === 'string' ? data['channel'] : undefined;");
    expect(text).toContain(
      "encodeSubscribe: ({ id, channel, params }) => JSON.stringify({ op: 'subscribe', params: { ...params }, id, channel })",
    );
    const recording = recordings.get('native')!;
    const protocol = await loadGenerated(dir.file('native.ts'));
    const generated = checkRecording(recording, protocol);
    expect(generated.totals).toMatchObject({ invalid: 0, unknown: 0, malformed: 0 });
    // The built-in preset's events, plus the welcome and acks as typed events of their own.
    const builtIn = outcome(checkRecording(recording, protocolFor('native')));
    expect(outcome(generated).typed).toEqual([...builtIn.typed, 'ack', 'welcome'].sort());
    expect(outcome(generated).protocol).toEqual(['(welcome)']);
    const first = recording.entries.find((e) => e.kind === 'in' && e.frame.includes('"price_update"'));
    expect(protocol.decode(first!.kind === 'in' ? first!.frame : '')[0]).toMatchObject({
      kind: 'event',
      type: 'price_update',
      channel: 'prices',
      data: { seq: expect.any(Number) },
    });
  });

  it('inference is deterministic: the same recording gives the same file, byte for byte', async () => {
    for (const backend of ['channelFeed', 'sentio'] as const) {
      copyFileSync(dir.file(`${backend}.ndjson`), dir.file(`${backend}-copy.ndjson`));
      const again = await cli(['infer', dir.file(`${backend}-copy.ndjson`), '--name', `${backend}Inferred`]);
      expect(again).toBe(readFileSync(dir.file(`${backend}.ts`), 'utf8'));
    }
  });

  it('infer --check reports per type and exits 0 when every frame is typed, 3 when one is not', async () => {
    const table = await cli(['infer', '--check', dir.file('ares.ndjson'), dir.file('ares.ts')]);
    expect(table).toMatch(/^type\s+typed\s+invalid\s+unknown\s+protocol/);
    expect(table).toMatch(/^signal\s+\d+\s+0\s+0\s+0$/m);
    expect(table).toMatch(/^\(welcome\)\s+0\s+0\s+0\s+1$/m);
    const text = readFileSync(dir.file('ares.ndjson'), 'utf8');
    const frame = JSON.stringify({
      type: 'signal',
      timestamp: 'yesterday',
      data: { strategy_name: 'x', action: 'BUY', price: 'high', confidence: 1 },
    });
    dir.write('ares-broken.ndjson', `${text}${JSON.stringify({ t: 999_999, conn: 1, kind: 'in', frame })}\n`);
    const json = JSON.parse(
      await cli(['infer', '--check', dir.file('ares-broken.ndjson'), dir.file('ares.ts'), '--json'], 3),
    ) as {
      types: Record<string, { invalid: number; firstIssue?: string }>;
    };
    expect(json.types.signal).toMatchObject({
      invalid: 1,
      firstIssue: expect.stringMatching(/^(timestamp|data\.price)/),
    });
  });
});
