/**
 * Shape statistics: folds JSON samples into counts per position (a field, an array item, a
 * message) that schema-code.ts turns into zod source. Pure and deterministic: the same
 * samples in the same order give the same statistics.
 */
import * as z from 'zod';
import { isRecord } from '../protocol/json.js';

/** Distinct string values remembered per field (beyond this the set is "open"). */
const distinctCap = 64;

/** What one position in the JSON (a field, an array item, a message) held across samples. */
export interface ShapeStats {
  /** Samples that had a value here (for a field: how often it was present). */
  count: number;
  nulls: number;
  booleans: number;
  /** `secs` / `millis`: integers in the range of unix time in seconds / ms (2001–2103). */
  numbers: { count: number; ints: number; min: number; max: number; secs: number; millis: number } | undefined;
  strings: StringStats | undefined;
  arrays: { count: number; empty: number; items: ShapeStats } | undefined;
  objects: ObjectStats | undefined;
}

/** What the strings at one position looked like. */
export interface StringStats {
  count: number;
  decimal: number;
  /** Decimal strings with a fraction ("1.50"): what tells a decimal from a numeric id. */
  fraction: number;
  isoZoned: number;
  isoNaive: number;
  token: number;
  values: Map<string, number>;
  open: boolean;
}

/** What the objects at one position held. */
export interface ObjectStats {
  count: number;
  /** Per key, in order of first appearance. */
  fields: Map<string, ShapeStats>;
  /** Every value of every key, for objects that turn out to be maps. */
  values: ShapeStats;
}

const decimalPattern = /^-?\d+(\.\d+)?$/;
const tokenPattern = /^[A-Za-z0-9_.:/-]{1,32}$/;
const isoPrefix = /^\d{4}-\d\d-\d\dT/;
const isoZoned = z.iso.datetime({ offset: true });
const isoNaive = z.iso.datetime({ local: true });
/** Field names that may hold a unix timestamp (a number is one only when its range fits too). */
export const timeName = /(^|_)(ts|time|timestamp|date|at)$|^(t|created|updated)$|[a-z](Time|Timestamp|At|Date|Ts)$/;

/** Empty statistics. */
export function emptyStats(): ShapeStats {
  return {
    count: 0,
    nulls: 0,
    booleans: 0,
    numbers: undefined,
    strings: undefined,
    arrays: undefined,
    objects: undefined,
  };
}

/** Adds one sample. */
export function observe(stats: ShapeStats, value: unknown): void {
  stats.count++;
  if (value === null || value === undefined) {
    stats.nulls++;
  } else if (typeof value === 'boolean') {
    stats.booleans++;
  } else if (typeof value === 'number') {
    const n = (stats.numbers ??= { count: 0, ints: 0, min: value, max: value, secs: 0, millis: 0 });
    n.count++;
    if (Number.isInteger(value)) {
      n.ints++;
      if (value >= 1e9 && value < 4.2e9) n.secs++;
      else if (value >= 1e12 && value < 4.2e12) n.millis++;
    }
    n.min = Math.min(n.min, value);
    n.max = Math.max(n.max, value);
  } else if (typeof value === 'string') {
    const s = (stats.strings ??= {
      count: 0,
      decimal: 0,
      fraction: 0,
      isoZoned: 0,
      isoNaive: 0,
      token: 0,
      values: new Map<string, number>(),
      open: false,
    });
    s.count++;
    if (decimalPattern.test(value)) {
      s.decimal++;
      if (value.includes('.')) s.fraction++;
    }
    // zod decides what counts as ISO (so the emitted schema accepts every sample); the
    // prefix test keeps it off the strings that cannot be one, most of them.
    if (isoPrefix.test(value)) {
      if (isoZoned.safeParse(value).success) s.isoZoned++;
      else if (isoNaive.safeParse(value).success) s.isoNaive++;
    }
    if (tokenPattern.test(value)) s.token++;
    if (s.values.has(value)) s.values.set(value, s.values.get(value)! + 1);
    else if (s.values.size < distinctCap) s.values.set(value, 1);
    else s.open = true;
  } else if (Array.isArray(value)) {
    const a = (stats.arrays ??= { count: 0, empty: 0, items: emptyStats() });
    a.count++;
    if (value.length === 0) a.empty++;
    for (const item of value) observe(a.items, item);
  } else if (isRecord(value)) {
    const o = (stats.objects ??= { count: 0, fields: new Map<string, ShapeStats>(), values: emptyStats() });
    o.count++;
    for (const [key, field] of Object.entries(value)) {
      let f = o.fields.get(key);
      if (!f) o.fields.set(key, (f = emptyStats()));
      observe(f, field);
      observe(o.values, field);
    }
  }
}
