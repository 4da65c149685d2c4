/**
 * Shape inference: folds JSON samples into statistics, then turns the statistics into zod
 * source code with a note on the evidence behind each decision. Pure and deterministic:
 * the same samples in the same order give the same code.
 */
import * as z from 'zod';
import { isRecord } from '../protocol/json.js';

/**
 * When a string field becomes a `z.enum`: at least `minSamples` samples, at most `maxValues`
 * distinct values, at least `samplesPerValue` samples per distinct value on average, and
 * every value a short token (no spaces). Fewer samples than that and a value the recording
 * happened not to show would later fail validation, so the field stays `z.string()`.
 */
export const enumThresholds = { minSamples: 20, maxValues: 8, samplesPerValue: 5 } as const;

/** Distinct string values remembered per field (beyond this the set is "open"). */
const distinctCap = 64;
/** An object with more distinct keys than this, none of them in half the samples, is a map. */
const recordKeyCount = 24;

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

interface StringStats {
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

interface ObjectStats {
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

/** Names of the shared schema constants the emitted code uses; the module defines each once. */
export type Helper =
  'decimalString' | 'isoDateTime' | 'naiveDateTime' | 'anyDateTime' | 'unixSeconds' | 'unixMillis' | 'unixTime';

/** Every helper, in the order the module defines them. */
export const helperOrder: readonly Helper[] = [
  'decimalString',
  'isoDateTime',
  'naiveDateTime',
  'anyDateTime',
  'unixSeconds',
  'unixMillis',
  'unixTime',
];

/** The code of each helper, with the comment it gets in the generated module. */
export const helperCode: Readonly<Record<Helper, { readonly code: string; readonly doc: string }>> = {
  decimalString: {
    code: "z.string().regex(/^-?\\d+(\\.\\d+)?$/, 'expected a decimal string')",
    doc: 'A decimal sent as a string ("100.50"): kept a string, so no float rounding.',
  },
  isoDateTime: { code: 'z.iso.datetime({ offset: true })', doc: 'ISO 8601 date-time with a zone ("…Z" or "+02:00").' },
  naiveDateTime: {
    code: 'z.iso.datetime({ local: true })',
    doc: 'ISO 8601 date-time without a zone ("2024-10-05T10:30:00").',
  },
  anyDateTime: {
    code: 'z.iso.datetime({ offset: true, local: true })',
    doc: 'ISO 8601 date-time, with or without a zone (the recording has both).',
  },
  unixSeconds: { code: 'z.number().int()', doc: 'Unix time in whole seconds.' },
  unixMillis: { code: 'z.number().int()', doc: 'Unix time in milliseconds.' },
  unixTime: { code: 'z.number().int()', doc: 'Unix time in seconds or in milliseconds (the recording has both).' },
};

/** Emits code for one position; collects helpers used. */
export interface EmitContext {
  readonly helpers: Set<Helper>;
}

/** Code for a schema plus the notes that explain it (the decisions and their counts). */
export interface Emitted {
  readonly code: string;
  readonly notes: readonly string[];
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** Text made safe inside a generated comment: server-chosen names cannot end it or start a line of code. */
export function commentSafe(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** A JS string literal in single quotes. */
export function str(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** A property name as it must appear in source. */
export function propertyKey(key: string): string {
  // Computed, because `__proto__: …` in an object literal sets the prototype instead of a key.
  if (key === '__proto__') return '["__proto__"]';
  return identifier.test(key) ? key : JSON.stringify(key);
}

function stringSchema(s: StringStats, name: string, ctx: EmitContext): Emitted {
  const n = s.count;
  if (s.isoZoned + s.isoNaive === n) {
    const helper: Helper = s.isoNaive === 0 ? 'isoDateTime' : s.isoZoned === 0 ? 'naiveDateTime' : 'anyDateTime';
    ctx.helpers.add(helper);
    const what =
      helper === 'anyDateTime' ? `ISO date-time ${s.isoZoned} zoned + ${s.isoNaive} naive` : `ISO date-time ${n}/${n}`;
    return { code: helper, notes: [what] };
  }
  if (s.decimal === n && s.fraction > 0 && !/(^|_)id$|Id$/.test(name)) {
    ctx.helpers.add('decimalString');
    return { code: 'decimalString', notes: [`decimal string ${n}/${n}`] };
  }
  const k = s.values.size;
  const { minSamples, maxValues, samplesPerValue } = enumThresholds;
  if (
    !s.open &&
    k >= 2 &&
    k <= maxValues &&
    n >= minSamples &&
    n >= samplesPerValue * k &&
    s.token === n &&
    s.decimal < n
  ) {
    const values = [...s.values.keys()].sort();
    return { code: `z.enum([${values.map((v) => str(v)).join(', ')}])`, notes: [`enum: ${k} values in ${n} samples`] };
  }
  if (k === 1 && !s.open && n >= 2)
    return {
      code: 'z.string()',
      notes: [`always ${JSON.stringify(truncate([...s.values.keys()][0]!))} (${n} samples)`],
    };
  return { code: 'z.string()', notes: [] };
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function numberSchema(n: NonNullable<ShapeStats['numbers']>, name: string, ctx: EmitContext): Emitted {
  const ints = n.ints === n.count;
  if (ints && timeName.test(name)) {
    if (n.secs === n.count) {
      ctx.helpers.add('unixSeconds');
      return { code: 'unixSeconds', notes: [`unix seconds ${n.count}/${n.count}`] };
    }
    if (n.millis === n.count) {
      ctx.helpers.add('unixMillis');
      return { code: 'unixMillis', notes: [`unix ms ${n.count}/${n.count}`] };
    }
    if (n.secs + n.millis === n.count) {
      ctx.helpers.add('unixTime');
      return { code: 'unixTime', notes: [`unix seconds ${n.secs} + unix ms ${n.millis}`] };
    }
  }
  if (ints) return { code: 'z.number().int()', notes: n.count > 1 ? [`integer ${n.count}/${n.count}`] : [] };
  return { code: 'z.number()', notes: [] };
}

function indent(code: string, by: string): string {
  return code.replaceAll('\n', `\n${by}`);
}

/** An object's schema: one line per key, required when present in every sample, unknown keys kept. */
export function objectSchema(o: ObjectStats, ctx: EmitContext, skip: ReadonlySet<string> = new Set()): Emitted {
  const keys = [...o.fields.keys()].filter((k) => !skip.has(k));
  const common = keys.some((k) => o.fields.get(k)!.count * 2 >= o.count);
  if (keys.length > recordKeyCount && !common) {
    const values = emitStats(o.values, '', ctx);
    return {
      code: `z.record(z.string(), ${values.code})`,
      notes: [`map: ${keys.length} distinct keys in ${o.count} samples`, ...values.notes],
    };
  }
  if (keys.length === 0) return { code: 'z.looseObject({})', notes: [] };
  const lines = keys.map((key) => {
    const f = o.fields.get(key)!;
    const emitted = emitStats(f, key, ctx);
    const required = f.count === o.count;
    const presence = required ? `${f.count}/${o.count}` : `optional: ${f.count}/${o.count}`;
    const code = required ? emitted.code : `${emitted.code}.optional()`;
    const comment = commentSafe([presence, ...emitted.notes].join('; '));
    return `  ${propertyKey(key)}: ${indent(code, '  ')}, // ${comment}`;
  });
  return { code: `z.looseObject({\n${lines.join('\n')}\n})`, notes: [] };
}

/** The schema for every value seen at one position. */
export function emitStats(stats: ShapeStats, name: string, ctx: EmitContext): Emitted {
  const parts: Emitted[] = [];
  if (stats.booleans) parts.push({ code: 'z.boolean()', notes: [] });
  if (stats.numbers) parts.push(numberSchema(stats.numbers, name, ctx));
  if (stats.strings) parts.push(stringSchema(stats.strings, name, ctx));
  if (stats.arrays) {
    const a = stats.arrays;
    if (a.items.count === 0) parts.push({ code: 'z.array(z.unknown())', notes: [`array: always empty (${a.count})`] });
    else {
      const item = emitStats(a.items, name, ctx);
      parts.push({
        code: `z.array(${item.code})`,
        notes: item.notes.length ? [`items: ${item.notes.join(', ')}`] : [],
      });
    }
  }
  if (stats.objects) parts.push(objectSchema(stats.objects, ctx));
  const notes = parts.flatMap((p) => p.notes);
  if (parts.length === 0) return { code: 'z.unknown()', notes: stats.nulls ? [`only null seen (${stats.nulls})`] : [] };
  const code = parts.length === 1 ? parts[0]!.code : `z.union([${parts.map((p) => p.code).join(', ')}])`;
  if (parts.length > 1) notes.unshift(`mixed: ${kindCounts(stats)}`);
  if (stats.nulls) {
    notes.push(`null ${stats.nulls}/${stats.count}`);
    return { code: `${code}.nullable()`, notes };
  }
  return { code, notes };
}

function kindCounts(stats: ShapeStats): string {
  const counts: string[] = [];
  if (stats.booleans) counts.push(`${stats.booleans} boolean`);
  if (stats.numbers) counts.push(`${stats.numbers.count} number`);
  if (stats.strings) counts.push(`${stats.strings.count} string`);
  if (stats.arrays) counts.push(`${stats.arrays.count} array`);
  if (stats.objects) counts.push(`${stats.objects.count} object`);
  return counts.join(' + ');
}
