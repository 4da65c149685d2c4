// Only for running this example inside the dashwire repository (`npx vitest run --root examples/testing`):
// maps the package names to the source. In your app, `dashwire` comes from node_modules and
// no config is needed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^dashwire$/, replacement: src('index.ts') },
      { find: /^dashwire\/mock-server$/, replacement: src('mock-server/index.ts') },
      { find: /^dashwire\/testing$/, replacement: src('testing/index.ts') },
    ],
  },
  test: { include: ['*.test.ts'], testTimeout: 10_000 },
});
