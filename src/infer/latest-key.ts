/** Guesses the field `client.latest()` keys a message type by, from its payload's shape. */
import type { ShapeStats } from './shape.js';

/** Names like an id, best first; a match one object down ranks just below the same match at the top. */
const idLike = [
  /^id$/i,
  /(_id|Id|ID|_key|Key)$/,
  /^(symbol|asset|ticker|pair|instrument|market|coin|currency|strategy_name|strategy|name|slug|key|uuid)$/i,
];

/** A required scalar field named like an id, at the top or one object down (`data.id`). */
export function keyOf(stats: ShapeStats): readonly string[] | undefined {
  const o = stats.objects;
  if (!o) return undefined;
  const scalar = (s: ShapeStats, total: number): boolean =>
    s.count === total &&
    !s.objects &&
    !s.arrays &&
    !s.nulls &&
    !s.booleans &&
    (s.strings ? s.strings.isoZoned + s.strings.isoNaive < s.strings.count : true);
  const candidates: { path: string[]; tier: number }[] = [];
  const scan = (fields: Map<string, ShapeStats>, prefix: string[], total: number): void => {
    for (const [name, f] of fields) {
      if (name === '__proto__') continue;
      const tier = idLike.findIndex((re) => re.test(name));
      if (tier !== -1 && scalar(f, total)) candidates.push({ path: [...prefix, name], tier: tier * 2 + prefix.length });
    }
  };
  scan(o.fields, [], o.count);
  for (const [name, f] of o.fields) {
    if (f.count === o.count && f.objects && f.objects.count === f.count && !f.arrays && !f.strings && !f.numbers)
      scan(f.objects.fields, [name], f.objects.count);
  }
  candidates.sort((a, b) => a.tier - b.tier);
  return candidates[0]?.path;
}
