// React `useLatest` under a 1,000 msg/s feed over 200 keys: renders/s and main-thread CPU,
// coalesced per frame vs not. Usage: node bench/react.mjs [seconds]
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
const { run } = await import(pathToFileURL(outfile).href);
const rows = [];
for (const mode of ['frame', false]) rows.push(await run(mode, seconds));
console.table(rows);
