import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (file: string): string => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

/**
 * End-to-end browser tests of the example dashboards (`npm run test:e2e`, which builds
 * them first). Kept apart from vitest.config.ts so `npm test` never starts a browser.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^dashwire\/mock-server$/, replacement: source('mock-server/index.ts') },
      { find: /^dashwire\/react$/, replacement: source('react/index.ts') },
      { find: /^dashwire$/, replacement: source('index.ts') },
    ],
  },
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.test.ts', 'test/e2e/**/*.e2e.test.tsx'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
