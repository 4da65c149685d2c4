/** Counters of the receive path (read by `client.stats()`). */
export interface ReceiveCounters {
  frames: number;
  received: number;
  invalid: number;
  unknown: number;
  /** Protocol items (welcome, ack, error, pong): with the three above, every decoded item is counted once. */
  protocol: number;
  duplicates: number;
  serverErrors: number;
}

/** Fresh counters, all zero. */
export function createReceiveCounters(): ReceiveCounters {
  return { frames: 0, received: 0, invalid: 0, unknown: 0, protocol: 0, duplicates: 0, serverErrors: 0 };
}
