import { defineConfig } from 'tsup';

/** Dependencies stay imports: consumers install them once, next to their own zod. */
const external = ['zod', 'react', 'ws', 'isomorphic-ws', 'eventemitter3', 'mock-socket', /^node:/];
/** Not `clean: true`: the configs build in parallel; `npm run build` empties dist/ first. */
const shared = { sourcemap: true, clean: false, target: 'es2022', platform: 'neutral' } as const;

export default defineConfig([
  {
    // ESM ships one module per source file: with `"sideEffects": false`, bundlers then drop what
    // an app does not import (each preset's schemas, the mock server's feed…). A single bundled
    // index.js kept every preset's top-level schema construction: 15.6 kB for `createClient` alone.
    entry: ['src/**/*.ts', '!src/cli/**', '!src/react/**'],
    format: ['esm'],
    bundle: false,
    dts: false,
    ...shared,
  },
  {
    // CommonJS consumers do not tree-shake: one bundled file per entry.
    entry: { index: 'src/index.ts', 'mock-server': 'src/mock-server/index.ts', testing: 'src/testing/index.ts', 'shared-worker': 'src/shared-worker.ts' },
    format: ['cjs'],
    dts: false,
    external,
    ...shared,
  },
  {
    // Declarations for both module systems (index.d.ts / index.d.cts …), bundled per entry.
    entry: { index: 'src/index.ts', 'mock-server': 'src/mock-server/index.ts', testing: 'src/testing/index.ts', 'shared-worker': 'src/shared-worker.ts' },
    format: ['esm', 'cjs'],
    dts: { only: true },
    external,
    ...shared,
  },
  {
    // React bindings import the core as the `dashwire` package, so ESM and CJS consumers share
    // one core (one DashwireError class) instead of a second copy inside dist/react.*.
    entry: { react: 'src/react/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    external: ['dashwire', 'react', 'zod'],
    // Bundling drops directives written in the source; frameworks with server components need it.
    banner: { js: "'use client';" },
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: ['zod', 'ws', 'isomorphic-ws', 'eventemitter3'],
  },
]);
