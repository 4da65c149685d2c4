import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { version } from '../../package.json';
import { bundleForChild } from '../helpers/child.js';

/**
 * The CLI as a user runs it: a real `node` process with real stdout/stderr pipes and exit codes
 * (EPIPE, exit codes and --version cannot be seen through run() alone).
 */
let cli: string;
beforeAll(async () => {
  cli = join(await bundleForChild('src/cli/main.ts', 'cli'), 'cli.mjs');
});

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI; `closeAfterLines` closes its stdout pipe once that many lines arrived (`| head -N`). */
function dashwire(args: string[], closeAfterLines?: number): Promise<Outcome> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (closeAfterLines !== undefined && stdout.split('\n').length > closeAfterLines) child.stdout.destroy();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port on 127.0.0.1 with nothing listening (taken, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the dashwire process', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('exits 0 without a word when the reader closes the pipe (tail --json | head -3)', async () => {
    server = await createMockServer({ protocol: 'native', feed: { rate: 200 } });
    const result = await dashwire(['tail', server.url, '--json'], 3);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').length).toBeGreaterThan(3);
  });

  it('prints its version', async () => {
    const result = await dashwire(['--version']);
    expect(result).toEqual({ code: 0, stdout: `dashwire ${version}\n`, stderr: '' });
  });

  it.each([
    [
      ['serve', '--port', '99999'],
      /--port must be a port number from 0 to 65535, got "99999"/,
      'dashwire serve --help',
    ],
    [['serve', '--port', '-1'], /--port must be a port number/, 'dashwire serve --help'],
    [
      ['tail', 'ws://127.0.0.1:1/ws', '--count', '0'],
      /--count must be a positive whole number, got "0"/,
      'dashwire tail --help',
    ],
    [
      ['tail', 'ws://127.0.0.1:1/ws', '--count', '1.5'],
      /--count must be a positive whole number, got "1.5"/,
      'dashwire tail --help',
    ],
    [['tail', 'ws://127.0.0.1:1/ws', '--retries', 'x'], /--retries must be a whole number/, 'dashwire tail --help'],
    [['frobnicate'], /unknown command "frobnicate"/, 'dashwire --help'],
  ])('%j is a usage error: exit 1, the reason, and the help to read', async (args, reason, hint) => {
    const result = await dashwire(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr).toContain(`Run "${hint}" for usage.`);
    expect(result.stderr).not.toMatch(/RangeError|at .*\.js:\d+/);
  });

  it('on give-up names the OS reason, prints no refusals, exits 2', async () => {
    const port = await closedPort();
    const result = await dashwire(['tail', `ws://127.0.0.1:${port}/ws?token=s3cret`, '--retries', '1']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`connect_failed: WebSocket error: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(result.stdout).not.toContain('refused');
    expect(result.stdout + result.stderr).not.toContain('s3cret');
    expect(result.stderr).toContain('gave up: max_attempts');
  });
});
