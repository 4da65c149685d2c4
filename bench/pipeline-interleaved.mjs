// The receive path without sockets, measured so that a noisy machine does not decide the result:
// the frames are cut into batches, and each batch runs through every loop in turn (JSON.parse +
// switch, + compiled zod, the minimal loop below, dashwire with default options). Another process taking the CPU for a
// while slows a few batches of every loop, not one loop's whole run; the figure per loop is the
// minimum (and the median) over the batches. dashwire's own share = dashwire − (JSON.parse +
// compiled zod), in µs and as a multiple of the JSON.parse + switch loop.
// Usage: node bench/pipeline-interleaved.mjs [batch=20000] [batches=40] [native|own]
import { buildDashwire } from './build-dashwire.mjs';
import { directClient } from './direct-client.mjs';
import { nativeFrames, types } from './frames.mjs';
import { ownCatalogue } from './own-catalogue.mjs';

const { file } = await buildDashwire();
const { createClient, native, defineProtocol, dashboardEvents } = await import(file);
const z = await import('zod');
const { compile } = z;
const B = Number(process.argv[2] ?? 20_000);
const K = Number(process.argv[3] ?? 40);
// One feed with rising seqs across batches, so the client consumes every frame exactly once.
const frames = nativeFrames(B * K);
let sink = 0;
const compiled = Object.fromEntries(Object.entries(dashboardEvents).map(([t, s]) => [t, compile(s)]));

// One client per process (two would make the receive path's call sites polymorphic, which an
// app with one client never sees): the native default, or a user's own catalogue through
// defineProtocol (plain z.object schemas, no key functions).
const variant = process.argv[4] ?? 'native';
const variants = {
  native: () => native(),
  own: () => defineProtocol({ ...native({ events: ownCatalogue(z) }) }),
  // Diagnostics: the default catalogue without key functions; without the channel filter too.
  'native-nokeys': () => native({ keys: {} }),
  'native-bare': () => native({ events: dashboardEvents }),
};
const dashwire = await directClient(createClient, { protocol: variants[variant]() }, (d) => (sink += d.ts));

const minimalSeq = new Map();
const minimalLatest = new Map();
const minimalHandlers = Object.fromEntries(types.map((t) => [t, (d) => (sink += d.ts)]));

const loops = {
  floor(from, to) {
    for (let i = from; i < to; i++) {
      const m = JSON.parse(frames[i]);
      switch (m.type) {
        case 'price_update':
        case 'trade':
        case 'alert':
        case 'portfolio_value':
          sink += m.data.ts;
          break;
      }
    }
  },
  zodCompiled(from, to) {
    for (let i = from; i < to; i++) {
      const m = JSON.parse(frames[i]);
      const r = compiled[m.type]?.safeParse(m.data);
      if (r?.success) sink += r.data.ts;
    }
  },
  // The least code that does per event what dashwire promises (docs/benchmarks.md): envelope
  // check, seq de-duplication per channel, compiled validation, the latest value per key, a
  // freshness stamp, the handler called in try/catch with a meta object. No units, no options.
  minimal(from, to) {
    for (let i = from; i < to; i++) {
      let m;
      try {
        m = JSON.parse(frames[i]);
      } catch {
        continue;
      }
      if (m === null || typeof m !== 'object' || m.op !== 'event' || typeof m.type !== 'string') continue;
      const { channel, seq, type } = m;
      const last = minimalSeq.get(channel);
      if (last !== undefined && seq <= last) continue;
      minimalSeq.set(channel, seq);
      const r = compiled[type]?.safeParse(m.data);
      if (!r?.success) continue;
      const data = r.data;
      const now = Date.now();
      const key = data.symbol ?? data.account;
      let byKey = minimalLatest.get(type);
      if (!byKey) minimalLatest.set(type, (byKey = new Map()));
      const entry = key === undefined ? undefined : byKey.get(key);
      if (entry) {
        entry.value = data;
        entry.at = now;
      } else if (key !== undefined) byKey.set(key, { value: data, at: now });
      const meta = { type, channel, seq };
      const handler = minimalHandlers[type];
      try {
        handler?.(data, meta);
      } catch {
        sink--;
      }
    }
  },
  dashwire(from, to) {
    for (let i = from; i < to; i++) dashwire.onMessage(frames[i]);
  },
};
const times = Object.fromEntries(Object.keys(loops).map((k) => [k, []]));
for (let k = 0; k < K; k++) {
  for (const [name, loop] of Object.entries(loops)) {
    const t = process.cpuUsage();
    loop(k * B, (k + 1) * B);
    const u = process.cpuUsage(t);
    times[name].push((u.user + u.system) / B);
  }
}
if (dashwire.client.stats().received !== B * K) throw new Error(`received ${dashwire.client.stats().received}`);
await dashwire.client.close();
// The first quarter warms the JIT up; the figures come from the rest.
const stat = (list) => {
  const s = list.slice(Math.floor(K / 4)).sort((a, b) => a - b);
  return { min: s[0], median: s[s.length >> 1] };
};
const r = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stat(v)]));
for (const [k, { min, median }] of Object.entries(r))
  console.log(
    `${k.padEnd(12)} min ${min.toFixed(3)} µs  median ${median.toFixed(3)} µs  (${(min / r.floor.min).toFixed(2)}× floor, min)`,
  );
for (const name of ['minimal', 'dashwire']) {
  const own = r[name].min - r.zodCompiled.min;
  console.log(
    `${name === 'dashwire' ? `dashwire (${variant})` : name} own share (min): ${own.toFixed(3)} µs = ${(own / r.floor.min).toFixed(2)}× JSON.parse + switch`,
  );
}
