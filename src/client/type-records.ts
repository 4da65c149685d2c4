import type { $ZodType } from 'zod/v4/core';
import type { EventCatalog } from '../events.js';
import { createCheck, type Check, type ValidationMode } from './validate.js';

/**
 * Everything the receive path needs about one message type, found with one lookup per
 * event (the hot path once made seven map and dictionary lookups; see docs/benchmarks.md).
 * It is also the latest store of that type.
 */
export interface TypeRecord {
  readonly schema: $ZodType;
  /** The schema's check, compiled on first use where allowed (validate.ts). */
  readonly check: Check;
  readonly keyOf: ((payload: unknown) => string) | undefined;
  /** Valid events delivered. */
  count: number;
  /** Most recent payload of any key. */
  last: unknown;
  /** Most recent payload per key, when the type has a key function. */
  readonly byKey: Map<string, unknown>;
}

/** Key functions per message type, for `latest(type, key)`. */
export type KeyFunctions = { readonly [type: string]: ((payload: never) => string) | undefined };

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * One record per message type of the catalogue. Known types only: a feed of made-up type names
 * cannot grow the map.
 */
export function createTypeRecords(
  events: EventCatalog,
  keys: KeyFunctions,
  validation: ValidationMode,
): Map<string, TypeRecord> {
  const types = new Map<string, TypeRecord>();
  for (const type of Object.keys(events)) {
    if (!hasOwn(events, type)) continue;
    const schema = events[type] as $ZodType;
    types.set(type, {
      schema,
      check: createCheck(schema, validation),
      keyOf: keys[type] as ((payload: unknown) => string) | undefined,
      count: 0,
      last: undefined,
      byKey: new Map(),
    });
  }
  return types;
}

/** Valid events delivered, per type (types with none are left out). */
export function countsByType(types: ReadonlyMap<string, TypeRecord>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, record] of types) if (record.count > 0) out[type] = record.count;
  return out;
}

/** The `detail` of an `invalid` report: the first schema issue, with its path. */
export function describeIssue(issue: { path: readonly PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'schema validation failed';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
