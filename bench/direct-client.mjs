// In-process benchmarks' client: a transport whose connection hands frames straight to the
// client's onMessage (no socket), acking each subscribe. The client is subscribed to the feed's
// channels, with `onEvent` on each of its types, before it is returned.
import { channels, types } from './frames.mjs';

export async function directClient(createClient, options, onEvent) {
  let handlers;
  const transport = {
    kind: 'bench',
    connect(req) {
      handlers = req.handlers;
      queueMicrotask(() => handlers.onOpen());
      return {
        send(frame) {
          const m = JSON.parse(frame);
          if (m.op === 'subscribe')
            queueMicrotask(() => handlers.onMessage(JSON.stringify({ op: 'ack', id: m.id, channel: m.channel })));
        },
        close(code = 1000, reason = '') {
          queueMicrotask(() => handlers.onClose({ code, reason, wasClean: true }));
        },
      };
    },
  };
  const client = createClient({ url: 'ws://bench.invalid/', transport, ...options });
  for (const t of types) client.on(t, onEvent);
  for (const c of channels) client.subscribe(c);
  await new Promise((r) => setTimeout(r, 20));
  return { client, onMessage: (frame) => handlers.onMessage(frame) };
}
