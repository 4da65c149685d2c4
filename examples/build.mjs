// Builds the dashboard examples against the built package (dist/, from `npm run build`).
// Usage: node examples/build.mjs [browser|react]…   (no argument: both)
//   browser → examples/browser-dashboard/dist/main.{js,css}: esbuild bundles the page's
//             main.ts with `dashwire` resolved to dist/index.js and its dependencies
//             (zod, eventemitter3, isomorphic-ws's browser entry) from node_modules.
//   react   → examples/react-dashboard/dist/: `vite build` with that example's vite.config.ts.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const builders = {
  async browser() {
    const { build } = await import('esbuild');
    const dir = join(root, 'examples/browser-dashboard');
    await build({
      entryPoints: [join(dir, 'main.ts')],
      outdir: join(dir, 'dist'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: true,
      alias: { dashwire: join(root, 'dist/index.js') },
      logLevel: 'warning',
    });
  },
  async react() {
    const { build } = await import('vite');
    await build({ configFile: join(root, 'examples/react-dashboard/vite.config.ts') });
  },
};

if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/react.js'))) {
  console.error('examples/build.mjs: dist/ is missing; run `npm run build` first');
  process.exit(1);
}
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(builders);
for (const name of names) {
  const builder = builders[name];
  if (!builder) {
    console.error(`examples/build.mjs: unknown example "${name}" (expected ${Object.keys(builders).join(' or ')})`);
    process.exit(1);
  }
  await builder();
  console.log(`built the ${name} dashboard`);
}
