// Bundled by bench/react.mjs. One `useLatest` consumer per key (200 keys) under a 1,000 msg/s
// native feed through the real client pipeline (memory transport); counts renders and measures
// the main thread's CPU for `coalesce: 'frame'` and `coalesce: false`.
import { Window } from 'happy-dom';
import { createElement, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, memoryTransport, type ServerSocket } from 'dashwire';
import { DashwireProvider, useLatest, useSubscription } from 'dashwire/react';

const window = new Window();
Object.assign(globalThis, { window, document: window.document, IS_REACT_ACT_ENVIRONMENT: false });
// A 60 Hz frame clock, as a browser tab in the foreground has.
(globalThis as { requestAnimationFrame?: (cb: (t: number) => void) => unknown }).requestAnimationFrame = (cb) =>
  setTimeout(() => cb(performance.now()), 1000 / 60);

const KEYS = 200;
const RATE = 1_000;
const symbols = Array.from({ length: KEYS }, (_, i) => `S${i}`);

export async function run(coalesce: 'frame' | false, seconds: number) {
  let socket: ServerSocket | undefined;
  const transport = memoryTransport((s) => {
    socket = s;
    s.onMessage = (frame) => {
      const msg = JSON.parse(frame) as { op: string; id: number; channel: string };
      if (msg.op === 'subscribe') s.send(JSON.stringify({ op: 'ack', id: msg.id, channel: msg.channel, seq: 0 }));
    };
  });
  const client = createClient({ url: 'memory://bench/ws', transport, heartbeat: false });
  const renders = new Array<number>(KEYS).fill(0);
  let anyRenders = 0;
  /** Re-renders on every new tick of any symbol: the consumer that coalescing protects. */
  function LastTick(): ReactElement {
    anyRenders++;
    const tick = useLatest(client, 'price_update');
    return createElement('b', null, tick ? `${tick.symbol} ${tick.price}` : '-');
  }
  function Cell({ index }: { index: number }): ReactElement {
    renders[index]!++;
    const tick = useLatest(client, 'price_update', symbols[index]);
    return createElement('span', null, tick?.price ?? '-');
  }
  function Board(): ReactElement {
    useSubscription(client, 'prices');
    return createElement(
      'div',
      null,
      createElement(LastTick),
      ...symbols.map((_, i) => createElement(Cell, { key: i, index: i })),
    );
  }
  const container = window.document.createElement('div');
  const root = createRoot(container as unknown as Element);
  root.render(createElement(DashwireProvider, { client, coalesce }, createElement(Board)));
  while (!socket || client.state !== 'open') await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  renders.fill(0);
  anyRenders = 0;
  let seq = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  // 10 events every 10 ms: 1,000 msg/s spread over the 200 keys.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < RATE / 100; i++) {
        seq++;
        const symbol = symbols[seq % KEYS]!;
        socket!.send(
          JSON.stringify({
            op: 'event',
            channel: 'prices',
            seq,
            type: 'price_update',
            data: { symbol, price: `${100 + (seq % 50)}.00`, change_24h: '0.1', ts: seq },
          }),
        );
      }
      if (performance.now() - start >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await new Promise((r) => setTimeout(r, 100));
  const used = process.cpuUsage(cpu);
  const elapsed = (performance.now() - start) / 1000;
  const total = renders.reduce((a, b) => a + b, 0);
  root.unmount();
  await client.close();
  return {
    coalesce: String(coalesce),
    events: seq,
    'events/s': Math.round(seq / elapsed),
    'renders/s per consumer (mean)': (total / KEYS / elapsed).toFixed(1),
    'renders/s per consumer (max)': (Math.max(...renders) / elapsed).toFixed(1),
    'renders/s, latest-of-any consumer': (anyRenders / elapsed).toFixed(1),
    'main-thread CPU ms per s': ((used.user + used.system) / 1000 / elapsed).toFixed(0),
  };
}

/**
 * `useLatest` cost per message against the number of keyed consumers: `consumers` components,
 * each reading its own key of `price_update`, under a `rate` msg/s feed through the client
 * pipeline (memory transport, coalesce 'frame'). `hot`: how many of the consumers' keys the
 * feed updates (the rest of the feed goes to keys nobody reads); with `hot` fixed, renders per
 * second stay the same whatever `consumers` is, and CPU per message shows what the idle
 * consumers cost.
 */
export async function runKeyed({
  consumers,
  keys,
  rate,
  hot,
  seconds,
}: {
  consumers: number;
  keys: number;
  rate: number;
  hot: number;
  seconds: number;
}) {
  let socket: ServerSocket | undefined;
  const transport = memoryTransport((s) => {
    socket = s;
    s.onMessage = (frame) => {
      const msg = JSON.parse(frame) as { op: string; id: number; channel: string };
      if (msg.op === 'subscribe') s.send(JSON.stringify({ op: 'ack', id: msg.id, channel: msg.channel, seq: 0 }));
    };
  });
  const client = createClient({ url: 'memory://bench/ws', transport, heartbeat: false });
  const names = Array.from({ length: keys }, (_, i) => `K${i}`);
  // Consumers read K0..K(consumers-1). The feed goes over 1,000 keys: every consumer's key
  // (hot === consumers, keys 1,000), or K0..K(hot-1) and the last 1,000 - hot keys, which no one reads.
  const fed = hot === consumers ? names.slice(0, 1000) : [...names.slice(0, hot), ...names.slice(keys - (1000 - hot))];
  let renders = 0;
  function Cell({ index }: { index: number }): ReactElement {
    renders++;
    const tick = useLatest(client, 'price_update', names[index]);
    return createElement('span', null, tick?.price ?? '-');
  }
  function Board(): ReactElement {
    useSubscription(client, 'prices');
    return createElement(
      'div',
      null,
      ...Array.from({ length: consumers }, (_, i) => createElement(Cell, { key: i, index: i })),
    );
  }
  const container = window.document.createElement('div');
  const root = createRoot(container as unknown as Element);
  root.render(createElement(DashwireProvider, { client, coalesce: 'frame' }, createElement(Board)));
  while (!socket || client.state !== 'open') await new Promise((r) => setTimeout(r, 5));
  // Let the mount's garbage be collected before measuring (1,000 fibers and DOM nodes).
  await new Promise((r) => setTimeout(r, 300));
  (globalThis as { gc?: () => void }).gc?.();
  renders = 0;
  let seq = 0;
  const perTick = rate / 100;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      for (let i = 0; i < perTick; i++) {
        seq++;
        const symbol = fed[(seq * 7919) % fed.length]!;
        socket!.send(
          JSON.stringify({
            op: 'event',
            channel: 'prices',
            seq,
            type: 'price_update',
            data: { symbol, price: `${100 + (seq % 50)}.00`, change_24h: '0.1', ts: seq },
          }),
        );
      }
      if (performance.now() - start >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await new Promise((r) => setTimeout(r, 100));
  const used = process.cpuUsage(cpu);
  const elapsed = (performance.now() - start) / 1000;
  root.unmount();
  await client.close();
  return {
    consumers,
    'keys fed': keys === 1000 ? `${fed.length}, all read` : `${hot} read + ${fed.length - hot} unread`,
    'events/s': Math.round(seq / elapsed),
    'renders/s': Math.round(renders / elapsed),
    'CPU µs/msg': ((used.user + used.system) / seq).toFixed(1),
    'CPU ms per s': ((used.user + used.system) / 1000 / elapsed).toFixed(0),
  };
}
