// Mock server fan-out: messages/s delivered to C connected clients on 127.0.0.1.
// Three processes, one at a time doing heavy work: this orchestrator, the mock server
// (bench/fanout.mjs server) and one client process holding all C `ws` connections that speak
// the native protocol (subscribe to `prices`, count `event` frames).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDashwire, mockServerBundle } from './build-dashwire.mjs';
import { payload } from './frames.mjs';

const self = fileURLToPath(import.meta.url);
const role = ['server', 'clients'].includes(process.argv[2]) ? process.argv[2] : undefined;

if (role === 'server') {
  const { createMockServer } = await import(mockServerBundle);
  const server = await createMockServer({ protocol: 'native', port: 0, feed: false, heartbeatMs: 60_000 });
  process.send({ port: server.port });
  process.on('message', async ({ messages }) => {
    // Publish in bursts of 50 per macrotask so sockets get written between bursts.
    let i = 0;
    const t0 = process.hrtime.bigint();
    while (i < messages) {
      for (const end = Math.min(messages, i + 50); i < end; i++)
        server.publish('prices', 'price_update', payload(i * 10).data);
      await new Promise((r) => setImmediate(r));
    }
    process.send({ publishedMs: Number(process.hrtime.bigint() - t0) / 1e6 });
  });
  process.on('disconnect', async () => {
    await server.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(3), 120_000).unref();
} else if (role === 'clients') {
  const { default: WebSocket } = await import('ws');
  const [port, clients, messages] = process.argv.slice(3).map(Number);
  const expected = clients * messages;
  let ready = 0;
  let delivered = 0;
  let t0;
  const sockets = [];
  const finish = () => {
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    process.send({ delivered, seconds });
    for (const s of sockets) s.terminate();
    setTimeout(() => process.exit(0), 10);
  };
  for (let c = 0; c < clients; c++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    sockets.push(ws);
    ws.on('open', () => ws.send(JSON.stringify({ op: 'subscribe', id: 1, channel: 'prices', params: {} })));
    ws.on('message', (buf) => {
      const text = String(buf);
      if (text.startsWith('{"op":"event"') || text.includes('"op":"event"')) {
        if (t0 === undefined) t0 = process.hrtime.bigint();
        if (++delivered === expected) finish();
      } else if (text.includes('"op":"ack"') && ++ready === clients) process.send({ ready: true });
    });
  }
  setTimeout(() => {
    process.send({ delivered, seconds: t0 ? Number(process.hrtime.bigint() - t0) / 1e9 : 0, timeout: true });
    process.exit(1);
  }, 90_000).unref();
}

/** Runs one fan-out measurement; resolves to { clients, messages, delivered, seconds, perSecond }. */
export async function runFanout({ clients = 1000, messages = 1000 } = {}) {
  await buildDashwire();
  const server = fork(self, ['server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((r) => server.once('message', r));
  const client = fork(self, ['clients', String(port), String(clients), String(messages)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await new Promise((resolve, reject) => {
      client.once('message', (m) => (m.ready ? resolve() : reject(new Error(`clients: ${JSON.stringify(m)}`))));
      client.once('exit', (code) => reject(new Error(`clients exited ${code}`)));
    });
    server.send({ messages });
    const result = await new Promise((resolve) => client.on('message', resolve));
    if (result.timeout) throw new Error(`fan-out timed out: ${result.delivered} of ${clients * messages}`);
    return {
      clients,
      messages,
      delivered: result.delivered,
      seconds: result.seconds,
      perSecond: result.delivered / result.seconds,
    };
  } finally {
    client.kill();
    server.disconnect();
  }
}

if (!role && import.meta.url === `file://${process.argv[1]}`) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
  console.log(await runFanout({ clients: Number(args.clients ?? 1000), messages: Number(args.messages ?? 1000) }));
}
