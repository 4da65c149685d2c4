import type { ConnectionHandlers, Transport } from './types.js';

/**
 * The one place that enforces "no synchronous callbacks from connect()": a transport may call
 * its handlers inside `connect()` itself (a user-written one that opens or fails at once),
 * before the caller holds the connection it is about to get. The wrapper queues such calls and
 * replays them, in order, right after `connect()` returns.
 */
export function deferSyncCallbacks(transport: Transport): Transport {
  return {
    kind: transport.kind,
    connect(request) {
      let queue: (() => void)[] | undefined = [];
      const inner = request.handlers;
      const later =
        <A extends unknown[]>(call: (...args: A) => void) =>
        (...args: A): void => {
          if (queue) queue.push(() => call(...args));
          else call(...args);
        };
      const handlers: ConnectionHandlers = {
        onOpen: later(() => inner.onOpen()),
        // Per frame, so without later()'s rest array and spread once connect() has returned.
        onMessage: (frame, source) =>
          queue ? queue.push(() => inner.onMessage(frame, source)) : inner.onMessage(frame, source),
        onError: later((error) => inner.onError(error)),
        onClose: later((info) => inner.onClose(info)),
      };
      const connection = transport.connect({ ...request, handlers });
      if (queue.length === 0) {
        queue = undefined; // nothing happened inside connect(): from now on, calls go straight through
      } else {
        // Replayed on the next microtask, once the caller holds the connection; calls arriving
        // meanwhile join the queue, so the order is kept.
        queueMicrotask(() => {
          const queued = queue ?? [];
          queue = undefined;
          for (const call of queued) call();
        });
      }
      return connection;
    },
  };
}
