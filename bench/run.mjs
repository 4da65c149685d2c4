// `npm run bench`: every benchmark in turn (never two heavy processes at once), printing tables.
// `npm run bench:smoke` (--smoke): a very short version for CI that fails only on a crash,
// never on a time or a ratio. Method and results: docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashwire } from './build-dashwire.mjs';
import { runFanout } from './fanout.mjs';
import { inboundRows, inboundVariants, interleavedRows, runInbound, runInterleaved } from './inbound.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const smoke = process.argv.includes('--smoke');
const cfg = smoke
  ? {
      n: 5_000,
      runs: 1,
      subs: 1_000,
      messages: 50_000,
      clients: 50,
      fanoutMessages: 200,
      reactSeconds: 0.5,
      zodPayloads: 20_000,
      chunk: 2_000,
      rounds: 1,
      browser: ['2000', '4', '500'],
    }
  : {
      n: 200_000,
      runs: 5,
      subs: 10_000,
      messages: 1_000_000,
      clients: 1_000,
      fanoutMessages: 1_000,
      reactSeconds: 5,
      zodPayloads: 200_000,
      chunk: 20_000,
      rounds: 15,
      browser: ['20000', '30', '10000'],
    };

const { hasPresets } = await buildDashwire();
console.log(`dashwire benchmarks${smoke ? ' (smoke: short, numbers not meaningful)' : ''} — node ${process.version}`);

console.log(`\n## Inbound pipeline: ${cfg.n} frames, ${cfg.runs} run(s), × floor (raw ws + JSON.parse + switch)`);
const inbound = await runInbound({
  n: cfg.n,
  runs: cfg.runs,
  variants: inboundVariants(hasPresets && existsSync(join(here, '../src/backends/presets.ts'))),
});
console.table(inboundRows(inbound.table));

console.log(
  `\n## The same, interleaved: every variant up at once, ${cfg.rounds} round(s) of ${cfg.chunk} frames to each in turn`,
);
const interleaved = await runInterleaved({
  chunk: cfg.chunk,
  rounds: cfg.rounds,
  variants: inbound.table.map((t) => t.kind),
  log: () => {},
});
console.table(interleavedRows(interleaved.table));

console.log(`\n## Memory: ${cfg.subs} subscriptions; ${cfg.messages} messages through one client`);
const mem = spawnSync(
  process.execPath,
  ['--expose-gc', join(here, 'memory.mjs'), `--subs=${cfg.subs}`, `--messages=${cfg.messages}`],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
if (mem.status !== 0) throw new Error(`memory benchmark exited ${mem.status}: ${mem.stdout}`);
console.log(mem.stdout.trim());

console.log(`\n## Mock server fan-out: ${cfg.clients} clients × ${cfg.fanoutMessages} messages`);
const fan = await runFanout({ clients: cfg.clients, messages: cfg.fanoutMessages });
console.log(
  `${fan.delivered} deliveries in ${fan.seconds.toFixed(2)} s = ${Math.round(fan.perSecond)} messages/s delivered`,
);

console.log(`\n## zod classic vs zod/mini: the default catalogue, ${cfg.zodPayloads} payloads`);
const zod = spawnSync(process.execPath, [join(here, 'zod-variants.mjs'), String(cfg.zodPayloads)], {
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (zod.status !== 0) throw new Error(`zod benchmark exited ${zod.status}`);

console.log(
  `\n## React useLatest: 1,000 msg/s over 200 keys, then 10/100/1,000 keyed consumers at 5,000 msg/s; ${cfg.reactSeconds} s per run`,
);
const react = spawnSync(process.execPath, ['--expose-gc', join(here, 'react.mjs'), String(cfg.reactSeconds)], {
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, NODE_ENV: 'production' },
});
if (react.status !== 0) throw new Error(`react benchmark exited ${react.status}`);

console.log('\n## The receive path in Chromium: batches, and one message per task');
const browser = spawnSync(process.execPath, [join(here, 'pipeline-browser.mjs'), ...cfg.browser], {
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (browser.status !== 0) throw new Error(`browser benchmark exited ${browser.status}`);
console.log('\nbench: done');
