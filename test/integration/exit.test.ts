import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { bundleForChild, runChild } from '../helpers/child.js';

/** A Node bot: connect, subscribe, survive a drop, receive, close — then nothing. */
const bot = `
import { createClient } from './client.mjs';
const [url] = process.argv.slice(2);
const client = createClient({ url, reconnect: { initialDelayMs: 20, minDelayMs: 5 }, heartbeat: { intervalMs: 200, timeoutMs: 200 } });
let n = 0;
await new Promise((resolve) => {
  client.subscribe('prices').on('price_update', () => {
    if (++n >= 8 && client.stats().reconnects > 0) resolve();
  });
});
await client.close();
console.log('closed ' + client.stats().reconnects);
`;

describe('a Node process that used the client', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('exits by itself within 1 s of close(), after a reconnect', async () => {
    server = await createMockServer({ protocol: 'native', feed: { rate: 100 } });
    const dir = await bundleForChild('src/index.ts', 'client');
    const target = server;
    let dropped = false;
    // Once the bot has subscribed, drop it once so that it has to reconnect before closing.
    const watcher = setInterval(() => {
      if (!dropped && target.received.length > 0) {
        dropped = true;
        setTimeout(() => target.faults.dropAll(), 50);
      }
    }, 10);
    const result = await runChild(dir, bot, [server.url], 'closed');
    clearInterval(watcher);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/closed [1-9]/);
    expect(result.exitedAt - result.markedAt).toBeLessThan(1_000);
  });
});
