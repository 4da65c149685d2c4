import * as zod from 'zod/v4/core';
import type { $ZodIssue, $ZodType } from 'zod/v4/core';

/**
 * How a client validates: `compiled` — each schema is compiled by zod (`z.compile`) on its first
 * message; `runtime` — zod's interpreting parser. Both give the same results and the same issues.
 * @category Client
 */
export type ValidationMode = 'compiled' | 'runtime';

/** Validation options of {@link ClientOptions}. @category Client */
export interface ValidationOptions {
  /**
   * Compile each schema of the catalogue with zod's `z.compile` (zod ≥ 4.5) on its first message.
   * Where code generation is not allowed (a CSP without `'unsafe-eval'`, `z.config({ jitless: true })`)
   * or zod has no compiler, the client uses the runtime parser instead, silently: `stats().validation`
   * says which. `false` always uses the runtime parser.
   * @default true
   */
  readonly compile?: boolean;
}

/** Validation defaults. @category Client */
export const validationDefaults = { compile: true } as const;

/** One schema check: the parsed value, or the issues (the same whichever mode made them). */
export type CheckResult =
  | { readonly success: true; readonly data: unknown }
  | { readonly success: false; readonly error: { readonly issues: $ZodIssue[] } };
export type Check = (data: unknown) => CheckResult;

/** `new Function` works here: false under a CSP without 'unsafe-eval' (and in some sandboxes). */
function canGenerateCode(): boolean {
  try {
    // The probe is the point: it is how a CSP without 'unsafe-eval' shows itself.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
    return new Function('return true')() === true;
  } catch {
    return false;
  }
}

/**
 * The mode a client validates with, decided once when it is created. zod's own `jitless` switch
 * keeps its global compile mode off but not an explicit `z.compile()` call, so it is read here.
 */
export function validationMode(options: ValidationOptions | undefined): ValidationMode {
  if (!(options?.compile ?? validationDefaults.compile)) return 'runtime';
  // Feature-detected: zod 4.0–4.4 has no compiler (the peer range is ^4.0.0).
  if (typeof zod.compile !== 'function') return 'runtime';
  if (zod.config().jitless) return 'runtime';
  return canGenerateCode() ? 'compiled' : 'runtime';
}

/** What a check calls: the schema's own `safeParse`, or zod's generic one. */
interface Parser {
  safeParse: Check;
}

/**
 * The schema itself when it has its own `safeParse` (zod and zod/mini schemas: on a compiled
 * schema that method skips the parse context and payload the generic one builds), else a
 * wrapper around zod's generic `safeParse`.
 */
function parser(schema: $ZodType): Parser {
  const own = schema as $ZodType & Partial<Parser>;
  return typeof own.safeParse === 'function' ? (own as Parser) : { safeParse: (data) => zod.safeParse(schema, data) };
}

/** Compiled, or the schema as it is if zod refuses it (zod then keeps its runtime parser). */
function compiled(schema: $ZodType): $ZodType {
  try {
    return zod.compile(schema);
  } catch {
    return schema; // zod's compile does not throw without `strict`; an older or patched one might
  }
}

/**
 * The check of one schema. Compiled lazily, on its first message: a catalogue of 50 types costs
 * nothing at start-up (docs/benchmarks.md measures compile time), and a type never received is
 * never compiled. One call per event between the receive path and zod.
 */
export function createCheck(schema: $ZodType, mode: ValidationMode): Check {
  let target = mode === 'runtime' ? parser(schema) : undefined;
  return (data) => (target ??= parser(compiled(schema))).safeParse(data);
}
