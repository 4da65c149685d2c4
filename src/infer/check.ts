/**
 * Replays a recording's server frames through a protocol, as the client's receive path
 * would: decode, then validate each event against its schema. Counts per message type.
 */
import { safeParse, type $ZodType } from 'zod/v4/core';
import type { Protocol } from '../protocol/types.js';
import type { Recording } from './recording.js';

/** Outcome counts for one message type (or one protocol item kind). */
export interface TypeCounts {
  typed: number;
  invalid: number;
  unknown: number;
  /** Protocol items: welcome, pong, error, ack. */
  protocol: number;
  /** First schema issue seen, for the report. */
  firstIssue?: string;
}

/** The result of {@link checkRecording}. */
export interface CheckReport {
  /** Per message type (events) and per protocol kind (`(pong)`, `(error)`, …), in first-seen order. */
  readonly types: Map<string, TypeCounts>;
  readonly totals: { typed: number; invalid: number; unknown: number; protocol: number; malformed: number };
}

/** Decodes and validates every recorded server frame with `protocol`. */
export function checkRecording(recording: Recording, protocol: Protocol): CheckReport {
  const types = new Map<string, TypeCounts>();
  const totals = { typed: 0, invalid: 0, unknown: 0, protocol: 0, malformed: 0 };
  const countsOf = (name: string): TypeCounts => {
    let c = types.get(name);
    if (!c) types.set(name, (c = { typed: 0, invalid: 0, unknown: 0, protocol: 0 }));
    return c;
  };
  const events = protocol.events as Readonly<Record<string, $ZodType>>;
  for (const entry of recording.entries) {
    if (entry.kind !== 'in') continue;
    let items;
    try {
      items = protocol.decode(entry.frame);
    } catch {
      totals.malformed++;
      continue;
    }
    for (const item of items) {
      if (item.kind === 'malformed') {
        totals.malformed++;
        continue;
      }
      if (item.kind !== 'event') {
        countsOf(`(${item.kind})`).protocol++;
        totals.protocol++;
        continue;
      }
      const c = countsOf(item.type);
      const schema = Object.prototype.hasOwnProperty.call(events, item.type) ? events[item.type] : undefined;
      if (!schema) {
        c.unknown++;
        totals.unknown++;
        continue;
      }
      const result = safeParse(schema, item.data);
      if (result.success) {
        c.typed++;
        totals.typed++;
      } else {
        c.invalid++;
        totals.invalid++;
        const issue = result.error.issues[0];
        c.firstIssue ??= issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
      }
    }
  }
  return { types, totals };
}

/** The report as an aligned text table, one row per type. */
export function formatReport(report: CheckReport): string {
  const rows = [...report.types.entries()].map(([type, c]) => [
    type,
    String(c.typed),
    String(c.invalid),
    String(c.unknown),
    String(c.protocol),
    c.firstIssue ?? '',
  ]);
  const head = ['type', 'typed', 'invalid', 'unknown', 'protocol', 'first issue'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]): string =>
    r
      .map((cell, i) => (i === 0 || i === r.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const t = report.totals;
  return [
    fmt(head),
    ...rows.map(fmt),
    `total: ${t.typed} typed, ${t.invalid} invalid, ${t.unknown} unknown, ${t.protocol} protocol, ${t.malformed} malformed`,
  ].join('\n');
}
