import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const built = (file: string): string => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

/**
 * Builds the React dashboard against this repository's built package (dist/, from
 * `npm run build`), as an app that installed `dashwire` would get it. No React plugin:
 * Vite compiles TSX itself with the automatic JSX runtime; only Fast Refresh needs
 * @vitejs/plugin-react, and a one-page example does without it.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^dashwire\/react$/, replacement: built('react.js') },
      { find: /^dashwire\/shared-worker$/, replacement: built('shared-worker.js') },
      { find: /^dashwire$/, replacement: built('index.js') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // dist/react.js starts with 'use client' for server-component frameworks; in a plain
      // client bundle the directive means nothing, so the "may not be preserved" notice is noise.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
});
