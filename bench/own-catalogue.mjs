// What an app would declare for the benchmark feed (bench/frames.mjs), with zod classic
// `z.object` (strips undeclared fields) and no key functions: the `own` variant of the inbound
// and in-process benchmarks. `z`: the zod module.
export function ownCatalogue(z) {
  const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
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
      symbol: z.string().optional(),
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
