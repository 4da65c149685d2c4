import { defineConfig } from 'tsup';

/** Dependencies and peers stay imports: consumers install them once, next to their own zod. */
const external = ['zod', 'react', 'ws', 'eventemitter3', 'mock-socket', '@opentelemetry/api', /^node:/];
/** The bundled entries, each with its own declaration file (`dist/<name>.d.ts` / `.d.cts`). */
const entries = {
  index: 'src/index.ts',
  'mock-server': 'src/mock-server/index.ts',
  testing: 'src/testing/index.ts',
  otel: 'src/otel/index.ts',
  'shared-worker': 'src/shared-worker.ts',
};
/** Not `clean: true`: the configs build in parallel; `npm run build` empties dist/ first. */
/**
 * tsup 8.5 (the last line that supports Node 20) sets `baseUrl` for its declaration build, which
 * TypeScript 6 deprecates; the flag silences only that deprecation.
 */
const dtsCompilerOptions = { ignoreDeprecations: '6.0' };
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
    entry: entries,
    format: ['cjs'],
    dts: false,
    external,
    // The WebSocket transport finds `ws` through `import.meta.url`; the shim gives CJS one.
    shims: true,
    ...shared,
  },
  {
    // Declarations for both module systems (index.d.ts / index.d.cts …), bundled per entry.
    entry: entries,
    format: ['esm', 'cjs'],
    dts: { only: true, compilerOptions: dtsCompilerOptions },
    external,
    ...shared,
  },
  {
    // React bindings import the core as the `dashwire` package, so ESM and CJS consumers share
    // one core (one DashwireError class) instead of a second copy inside dist/react.*.
    entry: { react: 'src/react/index.ts' },
    format: ['esm', 'cjs'],
    dts: { compilerOptions: dtsCompilerOptions },
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
    // `ws` is bundled so `npx dashwire serve` works where only dashwire and zod are installed
    // (ws is an optional peer of the library). Its CommonJS `require`s need a real require in ESM.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __cliRequire } from 'node:module';\nconst require = __cliRequire(import.meta.url);",
    },
    external: ['zod', 'eventemitter3'],
    // tsup leaves every peer external by default; ws is the one the CLI carries.
    noExternal: ['ws'],
  },
]);
