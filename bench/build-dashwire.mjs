// Bundles dashwire from TypeScript source (src/) into bench/.cache/ with esbuild, so the
// benchmarks measure the current source whether or not `presets` is exported from the
// package entry yet. Same externals as tsup's build (zod, ws, isomorphic-ws, eventemitter3).
import { build } from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
export const cacheDir = join(here, '../node_modules/.cache/dashwire-bench');
export const dashwireBundle = join(cacheDir, 'dashwire.mjs');
export const mockServerBundle = join(cacheDir, 'mock-server.mjs');

export async function buildDashwire() {
  mkdirSync(cacheDir, { recursive: true });
  const hasPresets = existsSync(join(root, 'src/backends/presets.ts'));
  const entry = [
    `export { createClient, native, defineProtocol, memoryTransport, dashboardEvents } from '../../../src/index.ts';`,
    hasPresets ? `export { presets } from '../../../src/backends/presets.ts';` : `export const presets = undefined;`,
  ].join('\n');
  const entryFile = join(cacheDir, 'entry.ts');
  writeFileSync(entryFile, entry);
  // Same externals as the tsup build: the bench measures dashwire's code, not a second zod.
  const options = {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['zod', 'zod/*', 'ws', 'isomorphic-ws', 'eventemitter3'],
    logLevel: 'warning',
  };
  await build({ ...options, entryPoints: [entryFile], outfile: dashwireBundle });
  await build({ ...options, entryPoints: [join(root, 'src/mock-server/index.ts')], outfile: mockServerBundle });
  return { file: dashwireBundle, hasPresets };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { file, hasPresets } = await buildDashwire();
  console.log(`bundled ${file}${hasPresets ? ' (with presets)' : ''}`);
}
