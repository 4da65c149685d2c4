/**
 * Helpers the mock-server dialects of several backends share: synthetic values and the
 * servers' own time formats. Server side only: no preset imports this file.
 */
import { isRecord } from '../protocol/json.js';

/** Picks one item; `random` in [0, 1). */
export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))] as T;
}

/** Fixed-point decimal string; never "-0.00". */
export function decimal(value: number, dp: number): string {
  const text = value.toFixed(dp);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/** Rounds to `dp` decimals as a number (Go/Python floats on the wire). */
export function round(value: number, dp: number): number {
  const f = 10 ** dp;
  return Math.round(value * f) / f;
}

/**
 * A published payload as `{timestamp, data}`: kept when it already is one, else wrapped with
 * the server's own stamp, so `publish(channel, type, { …data })` works too.
 */
export function envelope(payload: unknown, stamp: string): { timestamp: unknown; data: unknown } {
  if (isRecord(payload) && 'data' in payload && typeof payload.timestamp === 'string')
    return { timestamp: payload.timestamp, data: payload.data };
  return { timestamp: stamp, data: payload };
}

/** An envelope payload's keys other than `data` and `timestamp`: extra top-level fields a server adds. */
export function withoutEnvelope(payload: Record<string, unknown>): Record<string, unknown> {
  const { data: _data, timestamp: _timestamp, ...rest } = payload;
  return rest;
}

/** A random walk per key, pulled back to its start so long runs stay plausible. */
export function walker(starts: Readonly<Record<string, number>>, random: () => number, step = 0.005) {
  const values = new Map(Object.entries(starts));
  return (key: string): number => {
    const start = starts[key] ?? 1;
    const current = values.get(key) ?? start;
    const next = current * (1 + (random() - 0.5) * step) + (start - current) * 0.001;
    values.set(key, next);
    return next;
  };
}

/** Short id like the seeds' ("t-12", "uuid"-ish). */
export function shortId(prefix: string, n: number, random: () => number): string {
  return `${prefix}-${n.toString(36)}${Math.floor(random() * 1e6).toString(36)}`;
}

/** Formats unix ms as ISO 8601 without zone and with seconds only, the way Python's naive `isoformat()` prints whole seconds. */
export function naiveIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Formats unix ms as Go's RFC 3339 (`time.Time` JSON, UTC). */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}
