import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createMockServer } from '../../src/mock-server/index.js';
import { bundleForChild, runChild } from '../helpers/child.js';
import { waitFor } from '../helpers/wait.js';
import { connect } from './ws-client.js';

/** Resource kinds that would keep a Node process alive after close(). */
const watched = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function counts(): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(watched.map((k) => [k, 0]));
  for (const kind of process.getActiveResourcesInfo()) if (kind in out) out[kind]! += 1;
  return out;
}

function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // agent:false so the test itself leaves no pooled keep-alive socket behind.
    get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('close() leaves nothing running', () => {
  it('returns sockets, servers and timers to the baseline after a busy session', async () => {
    const baseline = counts();
    const server = await createMockServer({ feed: { rate: 200 } });
    const client = await connect(server.url);
    client.send({ op: 'subscribe', id: 1, channel: 'prices' });
    await waitFor(() => client.events('prices').length > 5);
    server.faults.delay(30); // per-client delay timers in flight at close time
    expect(await httpGet(`${server.httpUrl}/health`)).toBe(200);
    await server.restart();
    const again = await connect(server.url);
    expect(counts().TCPServerWrap).toBe(baseline.TCPServerWrap! + 1);

    await server.close();
    await again.waitClosed();
    await client.waitClosed();
    // The client side's own sockets need a turn of the loop to be released.
    await waitFor(() => watched.every((k) => counts()[k]! <= baseline[k]!), 2_000);
    // At most the baseline: a leak only ever adds; the worker's own timers may come and go.
    for (const kind of watched) expect(counts()[kind]).toBeLessThanOrEqual(baseline[kind]!);
  });
});

/** Runs in a child Node process: a busy session, then close(), then nothing — it must exit by itself. */
const childScript = `
import WebSocket from 'ws';
import { createMockServer } from './mock-server.mjs';
const server = await createMockServer({ feed: { rate: 200 } });
const ws = new WebSocket(server.url);
await new Promise((resolve) => ws.once('message', resolve));
ws.send(JSON.stringify({ op: 'subscribe', id: 1, channel: 'prices' }));
await new Promise((resolve) => setTimeout(resolve, 100));
server.faults.delay(50);
server.faults.refuse(60_000);
await server.close();
process.stdout.write('closed\\n');
`;

describe('a Node process using the mock server', () => {
  it('exits on its own within 1 s of close()', async () => {
    const dir = await bundleForChild('src/mock-server/index.ts', 'mock-server');
    const { code, stderr, markedAt, exitedAt } = await runChild(dir, childScript, [], 'closed');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(markedAt).toBeGreaterThan(0);
    expect(exitedAt - markedAt).toBeLessThan(1_000);
  });
});
