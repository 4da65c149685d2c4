import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { serverCommands } from './test/browser/commands.js';
import { chromiumLaunch } from './test/helpers/chromium.js';

/** `dashwire` (the package's own name, used by the React entry and the examples) → the source. */
const alias = [{ find: /^dashwire$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/browser/**', 'test/e2e/**', 'node_modules/**'],
          environment: 'node',
          // Fails a file whose clients moved outside the declared connection-state table.
          setupFiles: ['test/setup/transitions.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts', 'test/browser/**/*.test.tsx'],
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                ...chromiumLaunch,
              },
            }),
            instances: [{ browser: 'chromium' }],
            commands: serverCommands,
          },
        },
      },
    ],
  },
});
