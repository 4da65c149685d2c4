// What an app would declare for the benchmark feed (bench/frames.mjs), with `z.object` (strips
// undeclared fields) and no key functions: the `own` variant of the inbound and in-process
// benchmarks, and the catalogue bench/zod-variants.mjs times. `z`: the zod module, classic or
// zod/mini (`isMini`).
const decimalRe = /^-?\d+(\.\d+)?$/;

export function ownCatalogue(z, isMini = false) {
  const decimal = isMini ? z.string().check(z.regex(decimalRe)) : z.string().regex(decimalRe);
  const optional = (s) => (isMini ? z.optional(s) : s.optional());
  return {
    price_update: z.object({ symbol: z.string(), price: decimal, change_24h: decimal, ts: z.number() }),
    trade: z.object({
      id: z.string(),
      symbol: z.string(),
      side: z.enum(['buy', 'sell']),
      price: decimal,
      quantity: decimal,
      ts: z.number(),
    }),
    alert: z.object({
      id: z.string(),
      severity: z.enum(['info', 'warning', 'critical']),
      message: z.string(),
      symbol: optional(z.string()),
      ts: z.number(),
    }),
    portfolio_value: z.object({
      account: z.string(),
      total_usd: decimal,
      change_24h: decimal,
      positions: z.number(),
      ts: z.number(),
    }),
  };
}
