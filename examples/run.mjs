// Runs a TypeScript example without a build step: bundles it with esbuild, resolving
// `dashwire` (and its subpaths) to this repository's source, then runs it with Node.
// Usage: node examples/run.mjs examples/node-bot/bot.ts [args…]
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node examples/run.mjs <example.ts> [args…]');
  process.exit(1);
}
const outdir = join(root, 'node_modules', '.cache', 'dashwire-examples');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `${entry.replace(/[^\w]+/g, '_')}.mjs`);
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ws', 'zod', 'eventemitter3', 'mock-socket'],
  alias: {
    'dashwire/mock-server': join(root, 'src/mock-server/index.ts'),
    'dashwire/testing': join(root, 'src/testing/index.ts'),
    dashwire: join(root, 'src/index.ts'),
  },
  logLevel: 'warning',
});
const child = spawn(process.execPath, [outfile, ...args], { stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
