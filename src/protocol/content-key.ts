import { stableStringify } from './json.js';

/**
 * Identity of a snapshot item for polling de-duplication: the type plus the data, key order
 * ignored. Snapshot endpoints re-send what they sent before, so an item whose key was in the
 * previous answer is not emitted again.
 */
export function contentKey(type: string, data: unknown): string {
  return `${type}\u0000${stableStringify(data)}`;
}
