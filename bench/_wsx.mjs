import { WebSocketServer, WebSocket } from 'ws';
import { nativeFrames } from './frames.mjs';
const B = 20000,
  K = 30;
const frames = nativeFrames(B);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((r) => wss.on('listening', r));
wss.on('connection', (s) =>
  s.on('message', () => {
    let i = 0;
    const burst = () => {
      s._socket.cork();
      for (let k = 0; k < 100 && i < B; k++) s.send(frames[i++]);
      s._socket.uncork();
      if (i < B) setTimeout(burst, 1);
    };
    burst();
  }),
);
const url = `ws://127.0.0.1:${wss.address().port}`;
const dec = new TextDecoder();
const socks = {};
for (const mode of ['on', 'onmessage', 'ab']) {
  const ws = new WebSocket(url);
  if (mode === 'ab') ws.binaryType = 'arraybuffer';
  await new Promise((r) => ws.once('open', r));
  socks[mode] = ws;
}
const res = { on: [], onmessage: [], ab: [] };
let sink = 0;
for (let k = 0; k < K; k++)
  for (const mode of Object.keys(socks)) {
    const ws = socks[mode];
    let n = 0,
      t0;
    await new Promise((resolve) => {
      const done = () => {
        const u = process.cpuUsage(t0);
        res[mode].push((u.user + u.system) / B);
        resolve();
      };
      if (mode === 'on') {
        ws.removeAllListeners('message');
        ws.on('message', (buf) => {
          if (n++ === 0) t0 = process.cpuUsage();
          sink += JSON.parse(buf.toString()).seq;
          if (n === B) done();
        });
      } else
        ws.onmessage = (e) => {
          if (n++ === 0) t0 = process.cpuUsage();
          const d = typeof e.data === 'string' ? e.data : dec.decode(e.data);
          sink += JSON.parse(d).seq;
          if (n === B) done();
        };
      ws.send('go');
    });
  }
for (const [m, v] of Object.entries(res)) {
  const s = v.slice(5).sort((a, b) => a - b);
  console.log(m, 'min', s[0].toFixed(3), 'median', s[s.length >> 1].toFixed(3));
}
for (const ws of Object.values(socks)) ws.terminate();
wss.close();
