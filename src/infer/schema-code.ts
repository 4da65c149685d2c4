/**
 * Schema code: turns shape statistics into zod source, with a note on the evidence behind
 * each decision (the counts the generated comments show). Pure and deterministic: the same
 * statistics give the same code.
 */
import { timeName, type ObjectStats, type ShapeStats, type StringStats } from './shape.js';
import { commentSafe, propertyKey, str } from './source-text.js';

/**
 * When a string field becomes a `z.enum`: at least `minSamples` samples, at most `maxValues`
 * distinct values, at least `samplesPerValue` samples per distinct value on average, and
 * every value a short token (no spaces). Fewer samples than that and a value the recording
 * happened not to show would later fail validation, so the field stays `z.string()`.
 */
export const enumThresholds = { minSamples: 20, maxValues: 8, samplesPerValue: 5 } as const;

/** An object with more distinct keys than this, none of them in half the samples, is a map. */
const recordKeyCount = 24;

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
