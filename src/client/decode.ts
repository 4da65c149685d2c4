import type { Envelope, Inbound, Protocol } from '../protocol/types.js';

/** Bytes of a string as UTF-8, counting only until `limit` is passed. */
export function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** One text frame decoded: its items, and the text an `invalid` report quotes. */
export interface DecodedFrame {
  readonly items: Inbound[];
  readonly raw: string;
}

/**
 * One WebSocket frame → inbound items, never throwing: a frame over `maxBytes` (UTF-8) is refused
 * before parsing (its envelope peeked, so its seq is still consumed), and a protocol whose
 * `decode` throws yields a malformed item.
 */
export function decodeFrame(protocol: Protocol, frame: string, maxBytes: number): DecodedFrame {
  if (frame.length > maxBytes || (frame.length * 3 > maxBytes && utf8Length(frame, maxBytes) > maxBytes)) {
    let envelope: Envelope | undefined;
    try {
      envelope = protocol.peekEnvelope?.(frame);
    } catch {
      envelope = undefined; // a user-written hook must not break the receive path
    }
    const detail = `frame exceeds maxMessageBytes (${maxBytes})`;
    return { items: [{ kind: 'malformed', reason: 'oversize', detail, ...envelope }], raw: frame.slice(0, 1024) };
  }
  try {
    return { items: protocol.decode(frame), raw: frame };
  } catch (error) {
    // A protocol's decode must not throw; if a user-written one does, the frame is malformed.
    return { items: [{ kind: 'malformed', detail: `decode threw: ${describeThrown(error)}` }], raw: frame };
  }
}

/** Text of anything thrown; String() itself throws on objects without a usable toString. */
function describeThrown(error: unknown): string {
  try {
    return String(error);
  } catch {
    return 'an unprintable value';
  }
}

/** One polling response body → items, with the same size rule as WebSocket frames. */
export function decodeBody(decode: (body: string) => Inbound[], body: string, maxBytes: number): DecodedFrame {
  if (body.length > maxBytes || (body.length * 3 > maxBytes && utf8Length(body, maxBytes) > maxBytes)) {
    return {
      items: [{ kind: 'malformed', reason: 'oversize', detail: `response body exceeds maxMessageBytes (${maxBytes})` }],
      raw: body.slice(0, 1024),
    };
  }
  return { items: decode(body), raw: body };
}
