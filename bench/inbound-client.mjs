// Client process of the inbound benchmark: `node bench/inbound-client.mjs KIND PORT N`.
// Measures process.cpuUsage() (user+system) from the first message to the Nth, and the
// cost of one JSON.parse of the same frames just before and just after; prints one JSON line.
// Exits by itself after N messages, or after 90 s with an error.
// Chunked (spawned with an IPC channel, by `inbound.mjs --interleave`): N is the chunk size; after
// every N messages it measures JSON.parse again and sends `{ cpuUsPerMsg, json }` over IPC, and it
// exits when the IPC channel closes.
import { ownCatalogue } from './own-catalogue.mjs';
import { nativeFrames, presetSetup, channels, types } from './frames.mjs';
import { dashwireBundle } from './build-dashwire.mjs';

const [kind, port, nArg] = process.argv.slice(2);
const N = Number(nArg);
const base = `ws://127.0.0.1:${port}`;
const chunked = typeof process.send === 'function';
if (chunked) process.on('disconnect', () => process.exit(0));
else setTimeout(() => fail('timeout'), 90_000).unref();

function fail(why) {
  console.log(JSON.stringify({ kind, error: why, count }));
  process.exit(1);
}

/** CPU µs of one JSON.parse of a native frame, over 40,000 parses (same frames the floor receives). */
const calibrationFrames = nativeFrames(2_000);
function jsonParseCost() {
  let sink = 0;
  const rounds = 20;
  const start = process.cpuUsage();
  for (let r = 0; r < rounds; r++)
    for (let i = 0; i < calibrationFrames.length; i++) sink += JSON.parse(calibrationFrames[i]).seq;
  const used = process.cpuUsage(start);
  if (sink === 42) console.log('');
  return (used.user + used.system) / (rounds * calibrationFrames.length);
}

let count = 0;
// eslint-disable-next-line no-unused-vars -- written by the handlers so their work is not optimised away.
let sink = 0;
let t0;
let stats;
let finish = () => {};
const cpuTotal = (u) => u.user + u.system;

/** Every variant's handler does the same: count the message and read one field. */
function onMessage(data) {
  if (count % N === 0) t0 = process.cpuUsage();
  sink += data.ts === undefined ? 1 : 0;
  if (++count % N === 0) (chunked ? chunkDone : done)();
}

function chunkDone() {
  const used = cpuTotal(process.cpuUsage(t0));
  process.send({ cpuUsPerMsg: used / (N - 1), json: jsonParseCost() });
}

function done() {
  const used = cpuTotal(process.cpuUsage(t0));
  const after = jsonParseCost();
  const result = { kind, n: N, cpuUsPerMsg: used / (N - 1), jsonBefore: before, jsonAfter: after, stats };
  finish();
  console.log(JSON.stringify(result));
  // Exit now: some peers reconnect or keep timers; the process has done its job.
  setTimeout(() => process.exit(0), 10);
}

jsonParseCost(); // warm-up
const before = jsonParseCost();

switch (kind) {
  case 'floor':
  case 'floor-zod':
  case 'floor-zod-compiled': {
    const { default: WebSocket } = await import('ws');
    let validate = () => true;
    if (kind !== 'floor') {
      const { dashboardEvents } = await import(dashwireBundle);
      const { compile } = await import('zod');
      // The same catalogue, compiled by the app with zod's z.compile (once, up front).
      const catalogue =
        kind === 'floor-zod'
          ? dashboardEvents
          : Object.fromEntries(Object.entries(dashboardEvents).map(([t, s]) => [t, compile(s)]));
      validate = (type, data) => catalogue[type].safeParse(data).success;
    }
    const ws = new WebSocket(base);
    ws.on('message', (buf) => {
      const msg = JSON.parse(buf.toString());
      switch (msg.type) {
        case 'price_update':
        case 'trade':
        case 'alert':
        case 'portfolio_value':
          if (validate(msg.type, msg.data)) onMessage(msg.data);
          break;
        default:
          break;
      }
    });
    finish = () => ws.terminate();
    break;
  }
  case 'native':
  case 'native-runtime':
  case 'own': {
    const { createClient, native, defineProtocol } = await import(dashwireBundle);
    // `own`: a user's catalogue (plain z.object schemas, no keys) through defineProtocol.
    const protocol =
      kind === 'own' ? defineProtocol({ ...native({ events: ownCatalogue(await import('zod')) }) }) : native();
    const client = createClient({
      url: base,
      protocol,
      ...(kind === 'native-runtime' ? { validation: { compile: false } } : {}),
    });
    for (const type of types) client.on(type, onMessage);
    client.on('invalid', (e) => fail(`invalid: ${e.detail}`));
    for (const channel of channels) client.subscribe(channel);
    finish = () => {
      stats = pick(client.stats());
      void client.close();
    };
    break;
  }
  case 'socketio': {
    const { io } = await import('socket.io-client');
    const socket = io(base, { transports: ['websocket'], reconnection: false });
    for (const type of types) socket.on(type, onMessage);
    finish = () => socket.close();
    break;
  }
  case 'phoenix': {
    const { Socket } = await import('phoenix');
    const { default: WebSocket } = await import('ws');
    const socket = new Socket(`${base}/socket`, { transport: WebSocket, heartbeatIntervalMs: 60_000 });
    socket.connect();
    for (const channel of channels) {
      const ch = socket.channel(`feed:${channel}`, {});
      for (const type of types) ch.on(type, onMessage);
      ch.join();
    }
    finish = () => socket.disconnect();
    break;
  }
  case 'centrifuge': {
    const { Centrifuge } = await import('centrifuge');
    const { default: WebSocket } = await import('ws');
    const client = new Centrifuge(base, { websocket: WebSocket });
    for (const channel of channels) {
      const sub = client.newSubscription(channel);
      sub.on('publication', (ctx) => {
        const { type, data } = ctx.data;
        switch (type) {
          case 'price_update':
          case 'trade':
          case 'alert':
          case 'portfolio_value':
            onMessage(data);
            break;
          default:
            break;
        }
      });
      sub.subscribe();
    }
    client.connect();
    finish = () => client.disconnect();
    break;
  }
  case 'partysocket': {
    const { WebSocket: ReconnectingWebSocket } = await import('partysocket');
    const { default: WebSocket } = await import('ws');
    const socket = new ReconnectingWebSocket(base, undefined, { WebSocket, maxRetries: 0 });
    socket.addEventListener('message', (event) => {
      const msg = JSON.parse(event.data);
      switch (msg.type) {
        case 'price_update':
        case 'trade':
        case 'alert':
        case 'portfolio_value':
          onMessage(msg.data);
          break;
        default:
          break;
      }
    });
    finish = () => socket.close();
    break;
  }
  default: {
    if (!kind.startsWith('preset:')) fail('unknown kind');
    const name = kind.slice('preset:'.length);
    const { createClient, presets } = await import(dashwireBundle);
    const protocol = presets[name]();
    const setup = presetSetup[name];
    const client = createClient({ url: `${base}${setup.path}`, protocol });
    for (const type of Object.keys(protocol.events)) client.on(type, onMessage);
    client.on('invalid', (e) => fail(`invalid: ${e.detail}`));
    client.on('unknown', (e) => fail(`unknown: ${e.type}`));
    for (const [channel, params] of setup.subscribe) client.subscribe(channel, params);
    finish = () => {
      stats = pick(client.stats());
      void client.close();
    };
  }
}

function pick(s) {
  return {
    received: s.received,
    invalid: s.invalid,
    unknown: s.unknown,
    duplicates: s.duplicates,
    validation: s.validation,
  };
}
