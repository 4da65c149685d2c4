import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'mock-server': 'src/mock-server/index.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Not `clean: true`: the configs build in parallel, and cleaning here deleted the React
    // entry's .d.ts files when they were written first. `npm run build` empties dist/ instead.
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    external: ['zod', 'react', 'ws', 'isomorphic-ws', 'eventemitter3', 'mock-socket', /^node:/],
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
