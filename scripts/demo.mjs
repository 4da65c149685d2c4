// `npm run demo`: the one-command first run. A newcomer should see the live feed within seconds,
// not a build log: instead of the full library build (declarations for every entry, ~10–30 s on a
// busy machine), esbuild bundles the CLI alone from src/ (~0.2 s), and only when a source changed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside node_modules, so the bundle resolves `ws`, `zod` and `eventemitter3` from this checkout.
const bundle = join(root, 'node_modules', '.cache', 'dashwire-demo', 'cli.mjs');

/** Newest modification time (ms) under a file or directory. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

function bundledAt() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

if (bundledAt() < Math.max(newest(join(root, 'src')), newest(join(root, 'package.json')))) {
  await build({
    entryPoints: [join(root, 'src', 'cli', 'main.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    external: ['ws', 'zod', 'eventemitter3'],
    logLevel: 'warning',
  });
}

const child = spawn(process.execPath, ['--enable-source-maps', bundle, 'demo', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the child too (same process group): let it close cleanly and report its code.
const ignore = () => {};
process.on('SIGINT', ignore);
process.on('SIGTERM', ignore);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 130 : 1);
  process.off('SIGINT', ignore);
  process.off('SIGTERM', ignore);
});
