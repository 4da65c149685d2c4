import type { $ZodType } from 'zod/v4/core';

/** The parts of a zod definition this walk reads (zod 4's `schema._zod.def`). */
interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: { readonly check: string } } }[];
  readonly coerce?: boolean;
  readonly innerType?: $ZodType;
  readonly element?: $ZodType;
  readonly items?: readonly $ZodType[];
  readonly rest?: $ZodType | null;
  readonly shape?: Readonly<Record<string, $ZodType>>;
  readonly catchall?: $ZodType;
  readonly options?: readonly $ZodType[];
  readonly keyType?: $ZodType;
  readonly valueType?: $ZodType;
}

/** Types whose parse returns the input value itself (after checks). */
const leaves = new Set([
  'string',
  'number',
  'boolean',
  'bigint',
  'null',
  'undefined',
  'void',
  'any',
  'unknown',
  'never',
  'nan',
  'literal',
  'enum',
  'template_literal',
  'custom',
]);

const defOf = (schema: $ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Whether a valid input comes out of the schema's parse unchanged: the output is deep-equal to
 * the input, so the receive path can check it with zod's `validate` (no output built) and
 * deliver the decoded value itself. True for leaves without coercion or `.trim()`-like
 * (overwrite) checks, and for objects, arrays, tuples, unions, records, optionals and nullables
 * made of them, where every object keeps undeclared keys (`z.looseObject`, the built-in
 * catalogues' `keepExtras`) or rejects them (`z.strictObject`). False for anything else: a
 * `z.object` strips undeclared keys, defaults fill, transforms and pipes change, `readonly`
 * freezes; those keep the parsed value.
 */
export function passesThrough(schema: $ZodType): boolean {
  const def = defOf(schema);
  if (def.coerce || def.checks?.some((check) => check._zod.def.check === 'overwrite')) return false;
  if (leaves.has(def.type)) return true;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'nonoptional':
      return def.innerType !== undefined && passesThrough(def.innerType);
    case 'array':
      return def.element !== undefined && passesThrough(def.element);
    case 'tuple':
      return (def.items ?? []).every(passesThrough) && (!def.rest || passesThrough(def.rest));
    case 'union':
      return (def.options ?? []).every(passesThrough);
    case 'record':
      return (
        def.keyType !== undefined &&
        def.valueType !== undefined &&
        passesThrough(def.keyType) &&
        passesThrough(def.valueType)
      );
    case 'object': {
      const catchall = def.catchall && defOf(def.catchall);
      const keepsOrRejectsExtras =
        catchall !== undefined &&
        !catchall.checks?.length &&
        (catchall.type === 'unknown' || catchall.type === 'any' || catchall.type === 'never');
      return keepsOrRejectsExtras && Object.values(def.shape ?? {}).every(passesThrough);
    }
    default:
      return false;
  }
}
