import { unrefTimer } from '../timers.js';
import type { ServerSocket } from '../transport/server-socket.js';

/** The engine's faults that act on the way out, read at every frame (the engine flips them). */
export interface OutboxFaults {
  /** Half-open: frames are dropped (closes still leave). */
  readonly silenced: boolean;
  /** Every frame and close queued from now leaves this many ms later. */
  readonly delayMs: number;
}

/**
 * What leaves the server on one connection. Frames and closes share one FIFO, so a delayed
 * error frame still arrives before its close, and nothing is sent after a close.
 */
export interface Outbox {
  /** False once a close has left or the connection was discarded. */
  readonly open: boolean;
  /** Queues a text frame (dropped while silenced). */
  send(frame: string): void;
  /** Queues a close, after every frame already queued. */
  close(code: number, reason: string): void;
  /** The socket is gone: drops what is queued, stops the timer, takes nothing more. */
  discard(): void;
}

type Outgoing = { readonly due: number } & ({ readonly frame: string } | { readonly close: readonly [number, string] });

/** Creates the outbox of one socket, on the engine's clock. */
export function createOutbox(
  socket: Pick<ServerSocket, 'send' | 'close'>,
  faults: OutboxFaults,
  now: () => number,
): Outbox {
  const queue: Outgoing[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let open = true;

  const transmit = (item: Outgoing): void => {
    if ('close' in item) {
      open = false;
      socket.close(...item.close);
    } else if (!faults.silenced) {
      socket.send(item.frame);
    }
  };

  const flush = (): void => {
    timer = undefined;
    for (let head = queue[0]; head && open; head = queue[0]) {
      const wait = head.due - now();
      if (wait > 0) {
        timer = setTimeout(flush, wait);
        unrefTimer(timer);
        return;
      }
      queue.shift();
      transmit(head);
    }
    if (!open) queue.length = 0;
  };

  const enqueue = (item: Outgoing): void => {
    if (!open || (faults.silenced && 'frame' in item)) return;
    if (queue.length === 0 && item.due <= now()) return transmit(item);
    queue.push(item);
    if (!timer) flush();
  };

  return {
    get open() {
      return open;
    },
    send: (frame) => enqueue({ due: now() + faults.delayMs, frame }),
    close: (code, reason) => enqueue({ due: now() + faults.delayMs, close: [code, reason] }),
    discard() {
      open = false;
      queue.length = 0;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
