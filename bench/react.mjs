// React `useLatest` under a 1,000 msg/s feed over 200 keys: renders/s and main-thread CPU,
// coalesced per frame vs not; then CPU per message against 10/100/1,000 keyed consumers.
// Usage: node bench/react.mjs [seconds] [--only=coalesce|keys]
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const seconds = Number(process.argv[2] ?? 5);
const outdir = join(root, 'node_modules', '.cache', 'dashwire-bench');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'react-entry.mjs');
await build({
  entryPoints: [join(here, 'react-entry.tsx')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  external: ['react', 'react-dom', 'happy-dom', 'zod', 'eventemitter3', 'isomorphic-ws', 'ws'],
  alias: { 'dashwire/react': join(root, 'src/react/index.ts'), dashwire: join(root, 'src/index.ts') },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
const { run, runKeyed } = await import(pathToFileURL(outfile).href);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
if (only !== 'keys') {
  const rows = [];
  for (const mode of ['frame', false]) rows.push(await run(mode, seconds));
  console.table(rows);
}
if (only !== 'coalesce') {
  // Per-key cost: a feed over 1,000 keys at 5,000 msg/s, 10 / 100 / 1,000 keyed consumers. First
  // over the consumers' keys (renders grow with the consumers who read them), then over 10 read
  // keys and 990 unread ones (the same renders: what idle consumers cost).
  await runKeyed({ consumers: 100, keys: 1000, rate: 5000, hot: 100, seconds: Math.min(seconds, 1) }); // warm-up
  const keyed = [];
  for (const consumers of [10, 100, 1000])
    keyed.push(await runKeyed({ consumers, keys: 1000, rate: 5000, hot: consumers, seconds }));
  for (const consumers of [10, 100, 1000])
    keyed.push(await runKeyed({ consumers, keys: 2000, rate: 5000, hot: 10, seconds }));
  console.log('useLatest per key: 1,000 keys, 5,000 msg/s');
  console.table(keyed);
}
