import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleForChild } from '../helpers/child.js';

/**
 * Heap and handles: 1,000 connect/close cycles over real sockets and 10,000 subscribe/unsubscribe
 * cycles return to baseline. Measured in a child Node process with --expose-gc so the test can
 * force collections; warm-up cycles run before the baseline is taken.
 *
 * Tolerance: heap may end up to 1.5 MB above baseline (allocator and JIT noise; one leaked
 * client per cycle would be tens of MB), and active handles must be exactly back to baseline.
 */

const heapToleranceBytes = 1.5 * 1024 * 1024;

interface Sample {
  heap: number;
  handles: number;
}

function runWithGc(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('leaks (child process, --expose-gc, real sockets on 127.0.0.1)', () => {
  it('1,000 connect/close and 10,000 subscribe/unsubscribe cycles return heap and handles to baseline', async () => {
    const dir = await bundleForChild('test/reliability/fixtures/leak-child.ts', 'leak-child');
    const { code, stdout, stderr } = await runWithGc(join(dir, 'leak-child.mjs'), ['1000', '10000']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line).toBeDefined();
    const result = JSON.parse(line!.slice('RESULT '.length)) as {
      before: Sample;
      afterConnects: Sample;
      afterSubscribes: Sample & { serverClients: number };
    };
    const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;
    console.log(
      `heap: baseline ${kb(result.before.heap)}, after 1,000 connect/close ${kb(result.afterConnects.heap)} ` +
        `(${kb(result.afterConnects.heap - result.before.heap)}), after 10,000 subscribe/unsubscribe ${kb(result.afterSubscribes.heap)} ` +
        `(${kb(result.afterSubscribes.heap - result.before.heap)}); handles ${result.before.handles} → ${result.afterConnects.handles} → ${result.afterSubscribes.handles}`,
    );
    expect(result.afterConnects.handles).toBe(result.before.handles);
    expect(result.afterSubscribes.handles).toBe(result.before.handles);
    expect(result.afterConnects.heap - result.before.heap).toBeLessThan(heapToleranceBytes);
    expect(result.afterSubscribes.heap - result.before.heap).toBeLessThan(heapToleranceBytes);
    expect(result.afterSubscribes.serverClients).toBe(1);
  }, 180_000);
});
