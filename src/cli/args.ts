/** Parsed command line: positionals, single-value flags, repeatable flags, booleans. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
}

/** Thrown for a command line that cannot be understood (exit code 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `--name value`, `--name=value` and boolean `--flag`s. Only the names given
 * are accepted, so a typo is a usage error rather than a silently ignored option.
 */
export function parseArgs(
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[] },
): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (spec.flags.includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!spec.values.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  }
  return { positionals, values, flags };
}

/** The last value given for a flag. */
export function lastValue(args: ParsedArgs, name: string): string | undefined {
  return args.values.get(name)?.at(-1);
}

/** Bounds of {@link integerValue}: inclusive; `what` names the range in the usage error. */
export interface IntegerRange {
  readonly min: number;
  readonly max?: number;
  readonly what: string;
}

/** A flag's value as a whole number within a range (`--port 99999`, `--count 1.5` are usage errors), or the fallback. */
export function integerValue(args: ParsedArgs, name: string, fallback: number, range: IntegerRange): number {
  const text = lastValue(args, name);
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > (range.max ?? Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(`--${name} must be ${range.what}, got "${text}"`);
  }
  return value;
}

/** A flag's value as a non-negative number, or the fallback. */
export function numberValue(args: ParsedArgs, name: string, fallback: number): number {
  const text = lastValue(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new UsageError(`--${name} must be a non-negative number, got "${text}"`);
  return value;
}

/**
 * `--param KEY=VALUE` pairs into subscription params. A value with commas becomes a list
 * (`symbols=AAPL,MSFT` → ["AAPL","MSFT"]); a key given twice collects its values into a list.
 */
export function paramsFrom(pairs: readonly string[]): Record<string, string | string[]> {
  const params = Object.create(null) as Record<string, string | string[]>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects KEY=VALUE, got "${pair}"`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const value = raw.includes(',') ? raw.split(',').filter(Boolean) : raw;
    const prior = params[key];
    params[key] = prior === undefined ? value : [...[prior].flat(), ...[value].flat()];
  }
  return { ...params };
}
