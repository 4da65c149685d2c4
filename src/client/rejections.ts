import { stableStringify } from '../protocol/json.js';
import type { SafeEmitter } from './emitter.js';
import type { UnknownMessage } from './message-types.js';
import type { ReceiveCounters } from './receive-counters.js';
import { describeIssue } from './type-records.js';

/** What an `invalid` report says (the payload of the event, before the types narrow it). */
export interface InvalidReport {
  reason: 'malformed' | 'oversize' | 'schema';
  detail: string;
  raw: string;
  type?: string;
  channel?: string;
  issues?: readonly unknown[];
}

/** The counters a rejection moves (`client.stats()` reads them). */
export type RejectionCounters = Pick<ReceiveCounters, 'invalid' | 'unknown'>;

/** Reports a frame or message that is not delivered because it is malformed or fails its schema. */
export function reportInvalid(emitter: SafeEmitter, counters: RejectionCounters, message: InvalidReport): void {
  counters.invalid++;
  emitter.emit('invalid', message);
}

/** Reports a valid envelope whose type is not in the catalogue. */
export function reportUnknown(emitter: SafeEmitter, counters: RejectionCounters, message: UnknownMessage): void {
  counters.unknown++;
  emitter.emit('unknown', message);
}

/** The `invalid` report of a payload its schema refused. */
export function schemaFailure(
  type: string,
  channel: string | undefined,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  raw: string,
): InvalidReport {
  return { reason: 'schema', type, channel, issues, detail: describeIssue(issues[0]), raw };
}

/** The text an `invalid` or `unknown` report quotes for an item that came without a frame (a snapshot item). */
export function quoteItem(value: unknown): string {
  try {
    return stableStringify(value).slice(0, 1_024);
  } catch {
    return '';
  }
}
