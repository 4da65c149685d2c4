// The receive path without sockets, measured so that a noisy machine does not decide the result:
// the frames are cut into batches, and each batch runs through every loop in turn (JSON.parse +
// switch, + compiled zod, the minimal loop, dashwire with default options: bench/receive-loops.mjs).
// Another process taking the CPU for a while slows a few batches of every loop, not one loop's
// whole run; the figure per loop is the minimum (and the median) over the batches. dashwire's
// own share = dashwire − (JSON.parse + compiled zod), in µs and as a multiple of the floor loop.
// Usage: node bench/pipeline-interleaved.mjs [batch=20000] [batches=40] [native|own]
import { buildDashwire } from './build-dashwire.mjs';
import { directClient } from './direct-client.mjs';
import { nativeFrames, types } from './frames.mjs';
import { ownCatalogue } from './own-catalogue.mjs';
import { interleave, receiveLoops, summarize } from './receive-loops.mjs';

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

const loops = receiveLoops({ frames, compiled, types, dashwire, onEvent: (d) => (sink += d.ts) });
const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const r = summarize(interleave(loops, B, K, cpuNow));
if (dashwire.client.stats().received !== B * K) throw new Error(`received ${dashwire.client.stats().received}`);
await dashwire.client.close();
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
