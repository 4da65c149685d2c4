/**
 * Which field of a JSON message names its type, and how a frame splits into messages:
 * shared by inference and by the replaying mock server.
 */
import { isRecord } from '../protocol/json.js';

/** Keys tried as the message-type field, most usual first. */
export const discriminatorNames = [
  'type',
  't',
  'event',
  'op',
  'action',
  'kind',
  'e',
  'msg_type',
  'msgType',
  'messageType',
  'message_type',
  'cmd',
  'method',
  'topic',
  'channel',
] as const;

const typeValue = /^[A-Za-z_][\w.:/@-]{0,63}$/;

/** The discriminator chosen for a set of messages, and the evidence. */
export interface Discriminator {
  readonly key: string;
  /** Messages that carry it as a string. */
  readonly present: number;
  readonly total: number;
}

/**
 * The message-type field: the first of {@link discriminatorNames} that at least 90% of the
 * messages carry as a short identifier string; otherwise the string field carried that often
 * by most messages (ties: fewer distinct values, then name order); otherwise the known name
 * carried by most messages, if by at least half. `undefined` when no field qualifies.
 */
export function detectDiscriminator(messages: readonly Record<string, unknown>[]): Discriminator | undefined {
  if (messages.length === 0) return undefined;
  const counts = new Map<string, { present: number; values: Set<string> }>();
  for (const msg of messages) {
    for (const [key, value] of Object.entries(msg)) {
      if (typeof value !== 'string' || !typeValue.test(value)) continue;
      let c = counts.get(key);
      if (!c) counts.set(key, (c = { present: 0, values: new Set() }));
      c.present++;
      if (c.values.size < 256) c.values.add(value);
    }
  }
  const total = messages.length;
  for (const key of discriminatorNames) {
    const c = counts.get(key);
    if (c && c.present >= total * 0.9) return { key, present: c.present, total };
  }
  const ranked = [...counts.entries()]
    .filter(([, c]) => c.present >= total * 0.9 && c.values.size < Math.max(2, total))
    .sort(
      ([ka, a], [kb, b]) => b.present - a.present || a.values.size - b.values.size || (ka < kb ? -1 : ka > kb ? 1 : 0),
    );
  const best = ranked[0];
  if (best) return { key: best[0], present: best[1].present, total };
  // Servers whose control frames carry no type (`{"op":10,"d":…}` beside `{"op":0,"t":"READY",…}`):
  // a known name on at least half the messages still types those; the rest decode as malformed.
  let partial: Discriminator | undefined;
  for (const key of discriminatorNames) {
    const c = counts.get(key);
    if (c && c.present >= total * 0.5 && c.present > (partial?.present ?? 0))
      partial = { key, present: c.present, total };
  }
  return partial;
}

/** The server's messages of a frame: an object is one, an array of objects a batch. */
export function messagesOf(parsed: unknown): Record<string, unknown>[] {
  if (isRecord(parsed)) return [parsed];
  if (Array.isArray(parsed)) return parsed.filter(isRecord);
  return [];
}

/** Types that sit one level down: `{"op":"event","type":"trade"}` beside `{"op":"welcome"}`. */
export interface NestedTypes {
  /** The field every message carries (`op`). */
  readonly outer: Discriminator;
  /** The field that types the messages whose outer value is one of `values` (`type`). */
  readonly inner: string;
  readonly values: readonly string[];
}

/**
 * When the chosen field is missing from some messages, and another known name is on every
 * message and tells exactly which ones carry it (every `op: "event"` has a `type`, no other
 * `op` does), the types are two-level. At most three outer values may hold inner types.
 */
export function detectNesting(
  messages: readonly Record<string, unknown>[],
  chosen: Discriminator,
): NestedTypes | undefined {
  if (chosen.present === chosen.total) return undefined;
  const carries = (msg: Record<string, unknown>): boolean => typeof msg[chosen.key] === 'string';
  for (const key of discriminatorNames) {
    if (key === chosen.key || !messages.every((m) => typeof m[key] === 'string')) continue;
    const values = [...new Set(messages.filter(carries).map((m) => m[key] as string))];
    if (values.length > 3) continue;
    // Every message with one of those outer values must carry the inner type.
    if (messages.every((m) => !values.includes(m[key] as string) || carries(m)))
      return { outer: { key, present: messages.length, total: messages.length }, inner: chosen.key, values };
  }
  return undefined;
}
