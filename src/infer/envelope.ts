/** Describes the envelope of the server's messages for the generated header comment. */
import type { ShapeStats } from './shape.js';

/** Field names under which a message may wrap its payload, in the order they are tried. */
const wrapNames = ['data', 'd', 'payload', 'body', 'params', 'result'];

/**
 * `{key, data, …}` when most messages wrap their payload in one field, else `flat {key, …fields}`;
 * with the share of array frames when there are batches. `payloads` are the per-type payload
 * statistics, `batches` of `frames` server frames were arrays.
 */
export function envelopeOf(payloads: readonly ShapeStats[], key: string, batches: number, frames: number): string {
  let wrapped = 0;
  let total = 0;
  const wrapKeys = new Map<string, number>();
  for (const stats of payloads) {
    const o = stats.objects;
    if (!o) continue;
    total += o.count;
    for (const name of wrapNames) {
      const f = o.fields.get(name);
      if (f && f.count === o.count) {
        wrapped += o.count;
        wrapKeys.set(name, (wrapKeys.get(name) ?? 0) + o.count);
        break;
      }
    }
  }
  const shape =
    wrapped * 2 > total
      ? `{${key}, ${[...wrapKeys.entries()].sort((x, y) => y[1] - x[1])[0]![0]}, …} (${wrapped}/${total} messages wrap their payload)`
      : `flat {${key}, …fields} (${total - wrapped}/${total} messages)`;
  return batches ? `${shape}; ${batches}/${frames} frames are arrays (batches) of messages` : shape;
}
