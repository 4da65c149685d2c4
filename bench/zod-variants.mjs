// zod classic vs zod/mini for the default dashboard catalogue: validation CPU per payload and
// bundle size (min+gzip, zod included, since this is what the choice changes).
// Usage: node bench/zod-variants.mjs [payloads]
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import * as classic from 'zod';
import * as mini from 'zod/mini';
import { ownCatalogue } from './own-catalogue.mjs';

const N = Number(process.argv[2] ?? 200_000);
const decimalRe = /^-?\d+(\.\d+)?$/;

const payloads = [
  ['price_update', { symbol: 'SOL', price: '150.20', change_24h: '0.13', ts: 1 }],
  ['price_update', { symbol: 'BTC', price: '63886.89', change_24h: '-0.2', ts: 2 }],
  ['trade', { id: 't1', symbol: 'AAPL', side: 'buy', price: '190.00', quantity: '10', ts: 3 }],
  ['alert', { id: 'a1', severity: 'warning', message: 'BTC below 60k', ts: 4 }],
  ['portfolio_value', { account: 'acc', total_usd: '116708.09', change_24h: '0.01', positions: 4, ts: 5 }],
];

function cpuPerPayload(cat) {
  let ok = 0;
  for (let i = 0; i < 20_000; i++) ok += cat[payloads[i % 5][0]].safeParse(payloads[i % 5][1]).success ? 1 : 0; // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const [type, data] = payloads[i % 5];
    if (cat[type].safeParse(data).success) ok++;
  }
  const used = process.cpuUsage(start);
  if (ok < N) throw new Error('validation failed unexpectedly');
  return ((used.user + used.system) / N) * 1000; // ns
}

async function size(isMini, compiled) {
  const source = `import * as z from ${JSON.stringify(isMini ? 'zod/mini' : 'zod')};
${compiled ? 'export const compiled = (s) => z.compile(s);' : ''}
const decimal = ${isMini ? 'z.string().check(z.regex(/^-?\\d+(\\.\\d+)?$/))' : 'z.string().regex(/^-?\\d+(\\.\\d+)?$/)'};
export const events = {
  price_update: z.object({ symbol: z.string(), price: decimal, change_24h: decimal, ts: z.number() }),
  trade: z.object({ id: z.string(), symbol: z.string(), side: z.enum(['buy', 'sell']), price: decimal, quantity: decimal, ts: z.number() }),
  alert: z.object({ id: z.string(), severity: z.enum(['info', 'warning', 'critical']), message: z.string(), symbol: ${isMini ? 'z.optional(z.string())' : 'z.string().optional()'}, ts: z.number() }),
  portfolio_value: z.object({ account: z.string(), total_usd: decimal, change_24h: decimal, positions: z.number(), ts: z.number() }),
};
export const check = (type, data) => events[type].safeParse(data).success;`;
  const result = await build({
    stdin: { contents: source, resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0].contents).length;
}

const compileAll = (cat) =>
  Object.fromEntries(Object.entries(cat).map(([type, schema]) => [type, classic.compile(schema)]));
const rows = [];
for (const [name, z, isMini, compiled] of [
  ['zod (classic)', classic, false, false],
  ['zod/mini', mini, true, false],
  ['zod (classic) + z.compile', classic, false, true],
  ['zod/mini + z.compile', mini, true, true],
]) {
  const plain = ownCatalogue(z, isMini);
  const cat = compiled ? compileAll(plain) : plain;
  const runs = [cpuPerPayload(cat), cpuPerPayload(cat), cpuPerPayload(cat)].sort((a, b) => a - b);
  rows.push({
    variant: name,
    'ns/payload (median of 3)': runs[1].toFixed(0),
    'min–max': `${runs[0].toFixed(0)}–${runs[2].toFixed(0)}`,
    'bundle min+gzip': `${((await size(isMini, compiled)) / 1024).toFixed(1)} kB`,
  });
}
console.table(rows);

// Compile time: a 50-type catalogue (objects of 4–8 fields, as a dashboard's), compiled in a
// fresh process would include the compiler's own warm-up, so the first schema is reported apart.
const decimal = classic.string().regex(decimalRe);
const fieldKinds = [
  () => classic.string(),
  () => decimal,
  () => classic.number(),
  () => classic.enum(['a', 'b', 'c']),
  () => classic.string().optional(),
  () => classic.boolean(),
];
const fifty = Array.from({ length: 50 }, (_, t) =>
  classic.object(
    Object.fromEntries(
      Array.from({ length: 4 + (t % 5) }, (_, f) => [`f${f}`, fieldKinds[(t + f) % fieldKinds.length]()]),
    ),
  ),
);
const times = fifty.map((schema) => {
  const start = process.hrtime.bigint();
  classic.compile(schema);
  return Number(process.hrtime.bigint() - start) / 1e6;
});
const rest = times.slice(1).reduce((a, b) => a + b, 0);
console.log(
  `z.compile of a 50-type catalogue: ${(times[0] + rest).toFixed(1)} ms in all (first schema ${times[0].toFixed(2)} ms, then ${(rest / 49).toFixed(3)} ms each)`,
);
