// In-process micro-benchmark of the receive path without sockets: a transport whose
// connection hands frames straight to the client's onMessage. Used to profile the
// pipeline (node --cpu-prof bench/pipeline-micro.mjs). Prints µs per frame for
// JSON.parse+switch, + zod classic, + zod compiled, and dashwire (native, default options, and
// with validation: { compile: false }); dashwire's own share = dashwire − (JSON.parse + compiled zod).
// Usage: node bench/pipeline-micro.mjs [frames] [rounds]
import { buildDashwire } from './build-dashwire.mjs';
import { directClient } from './direct-client.mjs';
import { nativeFrames } from './frames.mjs';

const { file } = await buildDashwire();
const { createClient, native, dashboardEvents } = await import(file);
const { compile } = await import('zod');
const N = Number(process.argv[2] ?? 300_000);
const frames = nativeFrames(N);
const cpu = (fn) => {
  const t = process.cpuUsage();
  fn();
  const u = process.cpuUsage(t);
  return (u.user + u.system) / N;
};
let sink = 0;
const floor = () => {
  for (const f of frames) {
    const m = JSON.parse(f);
    switch (m.type) {
      case 'price_update':
      case 'trade':
      case 'alert':
      case 'portfolio_value':
        sink += m.data.ts;
        break;
    }
  }
};
const zodLoop = (catalogue) => () => {
  for (const f of frames) {
    const m = JSON.parse(f);
    const r = catalogue[m.type]?.safeParse(m.data);
    if (r?.success) sink += r.data.ts;
  }
};
const zod = zodLoop(dashboardEvents);
const zodCompiled = zodLoop(Object.fromEntries(Object.entries(dashboardEvents).map(([t, s]) => [t, compile(s)])));
const makeClient = (options = {}) =>
  directClient(createClient, { protocol: native(), ...options }, (d) => (sink += d.ts));
const rounds = Number(process.argv[3] ?? 4);
for (let round = 0; round < rounds; round++) {
  const compiled = await makeClient();
  const runtime = await makeClient({ validation: { compile: false } });
  const a = cpu(floor),
    b = cpu(zod),
    bc = cpu(zodCompiled);
  const c = cpu(() => {
    for (const f of frames) compiled.onMessage(f);
  });
  const r = cpu(() => {
    for (const f of frames) runtime.onMessage(f);
  });
  for (const { client } of [compiled, runtime])
    if (client.stats().received !== N) throw new Error(`received ${client.stats().received}`);
  // dashwire's own share: what it costs beyond JSON.parse + the same (compiled) validation.
  console.log(
    `round ${round}: JSON.parse+switch ${a.toFixed(3)} µs, +zod ${b.toFixed(3)}, +zod compiled ${bc.toFixed(3)}; ` +
      `dashwire ${c.toFixed(3)} µs (${(c / a).toFixed(2)}×), with compile: false ${r.toFixed(3)}; own share ${(c - bc).toFixed(3)} µs`,
  );
  await compiled.client.close();
  await runtime.client.close();
}
