import type { RawData } from 'ws';

/** A `ws` message as text, whichever of its three shapes (Buffer, ArrayBuffer, Buffer[]) it came in. */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
