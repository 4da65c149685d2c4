// Server process of the inbound benchmark: `node bench/inbound-server.mjs KIND N`.
// Listens on 127.0.0.1 port 0, prints `PORT <n>`, and once the (single) client has
// joined/subscribed, sends N pre-serialised frames. PACE is `B:MS` (default `100:1`): bursts of B
// frames written as one socket write, one burst every MS ms, below what every variant can take, so
// that each client reads the same chunks and none is measured with cheaper, bigger batches because
// it fell behind. PACE `0` sends as fast as socket backpressure allows (the method before 2026-12-01).
// Exits by itself when the client disconnects, or after 120 s at most.
// Chunked (spawned with an IPC channel, by `inbound.mjs --interleave`): once the client has
// joined, it sends `ready` and then one range of the frames per IPC message `{ from, to }`; it
// exits when the IPC channel closes.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import {
  centrifugeFrames,
  channels,
  loadSeeds,
  nativeFrames,
  payload,
  phoenixFrames,
  presetFrames,
} from './frames.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [kind, nArg, paceArg = '100:1'] = process.argv.slice(2);
const N = Number(nArg);
const [BURST, BURST_EVERY_MS] = paceArg === '0' ? [0, 0] : paceArg.split(':').map(Number);
const HIGH_WATER = 1 << 20; // bytes queued in the kernel/ws before we wait for 'drain'
const chunked = typeof process.send === 'function';
if (chunked) process.on('disconnect', () => process.exit(0));
else setTimeout(() => process.exit(3), 120_000).unref();

/** Sends frames [0, total) now, or (chunked) each range the orchestrator asks for. */
function serve(total, sendRange) {
  if (!chunked) return sendRange(0, total);
  process.on('message', ({ from, to }) => sendRange(from, Math.min(to, total)));
  process.send('ready');
}

/**
 * Paced sending: every BURST_EVERY_MS, `send(i)` for the next BURST indexes of [from, to), corked
 * into one write on `raw()` (the socket may not exist yet); stops when `alive()` turns false.
 */
function bursts(from, to, { alive, raw, send }) {
  let i = from;
  const timer = setInterval(() => {
    if (!alive()) return clearInterval(timer);
    const socket = raw();
    socket?.cork();
    for (const end = Math.min(i + BURST, to); i < end; i++) send(i);
    socket?.uncork();
    if (i >= to) clearInterval(timer);
  }, BURST_EVERY_MS);
}

/** Sends frames over a `ws` socket: paced bursts, or pausing only on backpressure. */
function pump(ws, frames) {
  const raw = ws._socket;
  serve(frames.length, (from, to) => {
    if (BURST > 0) {
      bursts(from, to, { alive: () => ws.readyState === 1, raw: () => raw, send: (k) => ws.send(frames[k]) });
      return;
    }
    let i = from;
    const step = () => {
      while (i < to) {
        if (ws.readyState !== 1) return;
        ws.send(frames[i++]);
        if (raw.writableLength > HIGH_WATER || ws.bufferedAmount > HIGH_WATER) {
          raw.once('drain', step);
          return;
        }
      }
    };
    step();
  });
}

function listen(server) {
  server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
}

const http = createServer((_req, res) => res.writeHead(404).end());

if (kind === 'socketio') {
  const { Server } = await import('socket.io');
  const io = new Server(http, { transports: ['websocket'], serveClient: false });
  const messages = Array.from({ length: Math.min(N, 1000) }, (_, i) => payload(i));
  io.on('connection', (socket) => {
    const conn = socket.conn;
    const send = (k) => {
      const { type, data } = messages[k % messages.length];
      socket.emit(type, data);
    };
    socket.on('disconnect', () => process.exit(0));
    serve(N, (from, to) => {
      if (BURST > 0) {
        bursts(from, to, { alive: () => !socket.disconnected, raw: () => conn.transport?.socket?._socket, send });
        return;
      }
      let i = from;
      const step = () => {
        while (i < to) {
          if (socket.disconnected) return;
          send(i++);
          if (i % 256 === 0) {
            // engine.io buffers packets until its transport is writable; wait for it to drain.
            const raw = conn.transport?.socket?._socket;
            if (conn.writeBuffer.length > 0 || (raw && raw.writableLength > HIGH_WATER)) {
              if (raw && raw.writableLength > HIGH_WATER) raw.once('drain', step);
              else conn.once('drain', step);
              return;
            }
          }
        }
      };
      step();
    });
  });
  listen(http);
} else {
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    ws.on('close', () => process.exit(0));
    if (kind === 'floor' || kind === 'floor-zod' || kind === 'floor-zod-compiled' || kind === 'partysocket') {
      pump(ws, nativeFrames(N));
    } else if (kind === 'native' || kind === 'native-runtime' || kind === 'own') {
      const frames = nativeFrames(N);
      const pending = new Set(channels);
      ws.on('message', (buf) => {
        const msg = JSON.parse(String(buf));
        if (msg.op === 'ping') ws.send(JSON.stringify({ op: 'pong', id: msg.id }));
        if (msg.op !== 'subscribe') return;
        ws.send(JSON.stringify({ op: 'ack', id: msg.id, channel: msg.channel }));
        pending.delete(msg.channel);
        if (pending.size === 0) pump(ws, frames);
      });
      ws.send(JSON.stringify({ op: 'welcome', session: 'bench', heartbeatMs: 60_000 }));
    } else if (kind === 'phoenix') {
      const joined = {};
      ws.on('message', (buf) => {
        const [joinRef, ref, topic, event] = JSON.parse(String(buf));
        if (event === 'heartbeat' || event === 'phx_join')
          ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: {} }]));
        if (event !== 'phx_join') return;
        joined[topic] = joinRef;
        if (Object.keys(joined).length === channels.length) pump(ws, phoenixFrames(N, joined));
      });
    } else if (kind === 'centrifuge') {
      const subscribed = new Set();
      ws.on('message', (buf) => {
        // Commands may be batched one JSON object per line.
        for (const line of String(buf).split('\n')) {
          if (!line) continue;
          const cmd = JSON.parse(line);
          if (cmd.connect)
            ws.send(
              JSON.stringify({ id: cmd.id, connect: { client: 'bench', version: '0.0.0', ping: 0, pong: false } }),
            );
          else if (cmd.subscribe) {
            ws.send(JSON.stringify({ id: cmd.id, subscribe: {} }));
            subscribed.add(cmd.subscribe.channel);
            if (subscribed.size === channels.length) pump(ws, centrifugeFrames(N));
          }
        }
      });
    } else if (kind.startsWith('preset:')) {
      const name = kind.slice('preset:'.length);
      const frames = presetFrames(name, N, loadSeeds(readFileSync, root));
      // Give the client time to send its subscribe frames (ignored: this server pushes everything).
      setTimeout(() => pump(ws, frames), 100);
    } else {
      console.error(`unknown kind ${kind} (${req.url})`);
      process.exit(2);
    }
  });
  listen(http);
}
