import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a source entry for a child Node process, into node_modules/.cache so that
 * the child resolves `ws` and `zod` from this package.
 */
export async function bundleForChild(entry: string, name: string): Promise<string> {
  const dir = join(process.cwd(), 'node_modules', '.cache', 'dashwire-child-tests');
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(process.cwd(), entry)],
    outfile: join(dir, `${name}.mjs`),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ws', 'zod', 'eventemitter3', 'mock-socket'],
    logLevel: 'silent',
  });
  return dir;
}

/** Runs a script in a child Node process; reports when it printed `marker` and when it exited. */
export async function runChild(dir: string, script: string, args: string[], marker: string) {
  const file = join(dir, `child-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let markedAt = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!markedAt && stdout.includes(marker)) markedAt = performance.now();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (exitCode) => {
      clearTimeout(killer);
      resolve(exitCode);
    });
  });
  return { code, stdout, stderr, markedAt, exitedAt: performance.now() };
}
