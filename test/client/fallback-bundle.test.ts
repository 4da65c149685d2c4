import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/** Minified bundle of an app that imports `names` from dashwire (zod left out, as apps share it). */
async function bundle(names: string[]): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${names.join(', ')} } from ${JSON.stringify(index)};\nexport default [${names.join(', ')}];`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    external: ['zod', 'zod/*', 'isomorphic-ws', 'ws'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('the fallback is a value', () => {
  it('an app without polling() does not bundle the polling transport or the fallback policy', async () => {
    // Error texts only those modules have (minification keeps strings).
    const markers = ['Polling failed', 'dashwire:polling:'];
    const without = await bundle(['createClient']);
    const withFallback = await bundle(['createClient', 'polling']);
    for (const marker of markers) {
      expect(without).not.toContain(marker);
      expect(withFallback).toContain(marker);
    }
  });
});
