/** Where queued frames go: a connection of one endpoint. */
interface Sender {
  readonly endpoint: string;
  send(frame: string): boolean;
}

/** One queued application frame and the endpoint it is for. */
interface Queued {
  readonly endpoint: string;
  readonly frame: string;
}

/** Application frames waiting for their connection. */
export interface Outbox {
  readonly size: number;
  /** Queues a frame; false when the outbox is full. */
  push(endpoint: string, frame: string): boolean;
  /** Sends, in order, every frame queued for this connection's endpoint. */
  flush(connection: Sender): void;
  clear(): void;
}

/**
 * Application frames waiting for their connection, in order, at most `limit` of them: a
 * client that stays offline must not grow without bound.
 */
export function createOutbox(limit: number): Outbox {
  let items: Queued[] = [];
  return {
    get size() {
      return items.length;
    },
    push(endpoint, frame) {
      if (items.length >= limit) return false;
      items.push({ endpoint, frame });
      return true;
    },
    flush(connection) {
      if (items.length === 0) return;
      items = items.filter((item) => item.endpoint !== connection.endpoint || !connection.send(item.frame));
    },
    clear() {
      items = [];
    },
  };
}
