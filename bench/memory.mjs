// Memory benchmark (run with --expose-gc): heap per subscription for 10,000 subscriptions, and
// heap growth after GC across 1,000,000 messages through one client. In-process: a transport
// that hands frames straight to the client (acks subscribes), no sockets.
import { buildDashwire } from './build-dashwire.mjs';
import { channelOf, channels, payload, types } from './frames.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

function directTransport() {
  const t = {
    kind: 'bench',
    handlers: undefined,
    connect(req) {
      t.handlers = req.handlers;
      queueMicrotask(() => req.handlers.onOpen());
      return {
        send(frame) {
          const m = JSON.parse(frame);
          if (m.op === 'subscribe')
            queueMicrotask(() => req.handlers.onMessage(JSON.stringify({ op: 'ack', id: m.id, channel: m.channel })));
        },
        close(code = 1000, reason = '') {
          queueMicrotask(() => req.handlers.onClose({ code, reason, wasClean: true }));
        },
      };
    },
  };
  return t;
}

const heap = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};

export async function runMemory({ subscriptions = 10_000, messages = 1_000_000 } = {}) {
  const { file } = await buildDashwire();
  const { createClient, native } = await import(file);

  // 10,000 subscriptions: distinct params on one channel, each its own wire subscription.
  const t1 = directTransport();
  const c1 = createClient({ url: 'ws://bench.invalid/', transport: t1, protocol: native(), heartbeat: false });
  await new Promise((r) => setTimeout(r, 10));
  const before = await heap();
  const subs = [];
  for (let i = 0; i < subscriptions; i++) subs.push(c1.subscribe('prices', { symbol: `S${i}` }));
  await Promise.all(subs.map((s) => s.ready));
  const after = await heap();
  const perSubscription = (after - before) / subscriptions;
  await c1.close();

  // 1,000,000 messages through one client: 4 channels, 200 keys, all handlers attached.
  const t2 = directTransport();
  const c2 = createClient({ url: 'ws://bench.invalid/', transport: t2, protocol: native(), heartbeat: false });
  let sink = 0;
  for (const type of types) c2.on(type, (d) => (sink += d.ts));
  for (const c of channels) c2.subscribe(c).on('price_update', (d) => (sink += d.ts));
  await new Promise((r) => setTimeout(r, 10));
  const seq = Object.create(null);
  let i = 0;
  const pushBatch = (count) => {
    for (const end = i + count; i < end; i++) {
      const { type, data } = payload(i);
      const channel = channelOf[type];
      seq[channel] = (seq[channel] ?? 0) + 1;
      t2.handlers.onMessage(JSON.stringify({ op: 'event', channel, seq: seq[channel], type, data, ts: data.ts }));
    }
  };
  const warm = Math.min(50_000, messages / 10);
  pushBatch(warm);
  const m0 = await heap();
  for (let done = 0; done < messages; done += 10_000) {
    pushBatch(Math.min(10_000, messages - done));
    if (done % 100_000 === 0) await new Promise((r) => setImmediate(r));
  }
  const m1 = await heap();
  const stats = c2.stats();
  await c2.close();
  if (stats.received !== warm + messages) throw new Error(`received ${stats.received}, expected ${warm + messages}`);
  return {
    subscriptions,
    perSubscriptionBytes: perSubscription,
    messages,
    heapGrowthBytes: m1 - m0,
    received: stats.received,
    invalid: stats.invalid,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
  console.log(
    await runMemory({ subscriptions: Number(args.subs ?? 10_000), messages: Number(args.messages ?? 1_000_000) }),
  );
}
