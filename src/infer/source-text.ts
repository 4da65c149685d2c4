/**
 * Pieces of generated source text: string literals, property keys, JSON values as JS, property
 * access and comment-safe text. Everything the generator writes from server-chosen names
 * passes through here, so a name cannot break the module or its comments.
 */
import { isRecord } from '../protocol/json.js';

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

/** A JSON value as JS source. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (isRecord(value)) {
    const members = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`);
    return members.length ? `{ ${members.join(', ')} }` : '{}';
  }
  return JSON.stringify(value) ?? 'null';
}

/** Reading `path` from `root` as source (`m.data.id`, `m["odd key"]`). */
export function access(root: string, path: readonly string[]): string {
  return path.reduce(
    (code, key) => (identifier.test(key) ? `${code}.${key}` : `${code}[${JSON.stringify(key)}]`),
    root,
  );
}
