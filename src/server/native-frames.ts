import type { FeedClient } from './dialect.js';

/** A non-negative safe integer: a seq, a cursor or a frame id. */
export function isCursor(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Sends one JSON frame to a client. */
export function sendJson(client: FeedClient, frame: Record<string, unknown>): void {
  client.send(JSON.stringify(frame));
}

/**
 * Sends a native error frame (docs/protocol.md): `id` is echoed when it is a valid frame id,
 * `channel` when the error is about one.
 */
export function sendError(client: FeedClient, code: string, message: string, id?: unknown, channel?: string): void {
  sendJson(client, {
    op: 'error',
    ...(isCursor(id) ? { id } : {}),
    ...(channel === undefined ? {} : { channel }),
    code,
    message,
  });
}
