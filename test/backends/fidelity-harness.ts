import type { Client, EventCatalog, InvalidMessage, Protocol, Transport, UnknownMessage } from '../../src/index.js';
import { webSocketTransport } from '../../src/index.js';
import { utf8Length } from '../../src/client/decode.js';

/**
 * A real WebSocket transport that also counts what arrives: every frame, and the items the
 * protocol decodes it into (a frame over `maxMessageBytes` is one item, rejected unparsed).
 * The client's own counters must add up to `items()`.
 */
export function countingTransport(protocol: Protocol, maxMessageBytes = 1_048_576) {
  const inner = webSocketTransport();
  let frames = 0;
  let items = 0;
  const transport: Transport = {
    kind: inner.kind,
    connect(request) {
      const h = request.handlers;
      return inner.connect({
        ...request,
        handlers: {
          onOpen: () => h.onOpen(),
          onMessage: (frame) => {
            frames += 1;
            items +=
              utf8Length(frame, maxMessageBytes) > maxMessageBytes ? 1 : Math.max(1, protocol.decode(frame).length);
            h.onMessage(frame);
          },
          onClose: (info) => h.onClose(info),
          onError: (error) => h.onError(error),
        },
      });
    },
  };
  return { transport, frames: () => frames, items: () => items };
}

/** Everything a client reports, by outcome: typed events per type, `invalid`, `unknown`, server errors. */
export function observe(client: Client<EventCatalog>, protocol: Protocol) {
  const events = new Map<string, unknown[]>();
  const invalid: InvalidMessage[] = [];
  const unknown: UnknownMessage[] = [];
  const errors: string[] = [];
  for (const type of Object.keys(protocol.events)) {
    client.on(type, (m: unknown) => {
      const list = events.get(type) ?? [];
      list.push(m);
      events.set(type, list);
    });
  }
  client.on('invalid', (m) => invalid.push(m));
  client.on('unknown', (m) => unknown.push(m));
  client.on('error', (e) => errors.push(e.code));
  return {
    events,
    invalid,
    unknown,
    errors,
    /** The first payload of `type`. */
    first: (type: string) => events.get(type)?.[0] as Record<string, unknown> | undefined,
    /** Every outcome counted once: the left side of the invariant. */
    accounted: () => {
      const s = client.stats();
      return s.received + s.invalid + s.unknown + s.protocol;
    },
  };
}
