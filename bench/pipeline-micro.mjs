// In-process micro-benchmark of the receive path without sockets: a transport whose
// connection hands frames straight to the client's onMessage. Used to profile the
// pipeline (node --cpu-prof bench/pipeline-micro.mjs). Prints µs per frame for
// JSON.parse+switch, JSON.parse+zod, and dashwire (native, validation on).
import { buildDashwire } from './build-dashwire.mjs';
import { channels, nativeFrames, types } from './frames.mjs';

const { file } = await buildDashwire();
const { createClient, native, dashboardEvents } = await import(file);
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
      case 'price_update': case 'trade': case 'alert': case 'portfolio_value': sink += m.data.ts; break;
    }
  }
};
const zod = () => {
  for (const f of frames) {
    const m = JSON.parse(f);
    const r = dashboardEvents[m.type]?.safeParse(m.data);
    if (r?.success) sink += r.data.ts;
  }
};
async function makeClient() {
  let handlers;
  const transport = { kind: 'bench', connect(req) { handlers = req.handlers; queueMicrotask(() => handlers.onOpen()); return { send(frame) { const m = JSON.parse(frame); if (m.op === 'subscribe') queueMicrotask(() => handlers.onMessage(JSON.stringify({ op: 'ack', id: m.id, channel: m.channel }))); }, close(code = 1000, reason = "") { queueMicrotask(() => handlers.onClose({ code, reason, wasClean: true })); } }; } };
  const client = createClient({ url: 'ws://bench.invalid/', transport, protocol: native() });
  for (const t of types) client.on(t, (d) => (sink += d.ts));
  for (const c of channels) client.subscribe(c);
  await new Promise((r) => setTimeout(r, 20));
  return { client, onMessage: (f) => handlers.onMessage(f) };
}
for (let round = 0; round < 4; round++) {
  const { client, onMessage } = await makeClient();
  const a = cpu(floor), b = cpu(zod);
  const c = cpu(() => { for (const f of frames) onMessage(f); });
  const s = client.stats();
  if (s.received !== N) throw new Error(`received ${s.received}`);
  console.log(`round ${round}: JSON.parse+switch ${a.toFixed(3)} µs, JSON.parse+zod ${b.toFixed(3)} µs, dashwire ${c.toFixed(3)} µs (${(c / a).toFixed(2)}×)`);
  await client.close();
}
