// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, polling, memoryTransport, type ConnectionState } from '../../src/index.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';

describe('fallback.remember', () => {
  let server: TestServer | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
    sessionStorage.clear();
  });

  it('remembers in sessionStorage that WebSocket failed, and the next client starts on polling', async () => {
    server = createTestServer({ url: 'ws://remember.test', feed: false });
    server.faults.blockUpgrades({ mode: '403' });
    const options = {
      url: 'ws://remember.test/ws',
      WebSocket: server.WebSocket,
      reconnect: { initialDelayMs: 5, minDelayMs: 1, maxDelayMs: 10 },
      fallback: polling({
        afterFailures: 2,
        remember: { ttlMs: 60_000 },
        intervalMs: 10,
        fetch: (url: string, init: RequestInit) => server!.fetch(url, init),
        probe: { initialDelayMs: 60_000 },
      }),
    };
    const first = createClient(options);
    await waitFor(() => first.state === 'polling');
    await first.close();
    expect(sessionStorage.getItem('dashwire:polling:ws://remember.test/ws')).toMatch(/^\d+$/);

    const second = createClient(options);
    const states: ConnectionState[] = [];
    second.on('state', (s) => states.push(s.current));
    await waitFor(() => second.state === 'polling');
    expect(states).toEqual(['connecting', 'polling']); // no WebSocket attempts first
    await second.close();
  });
});

describe('urls', () => {
  it('tries the next URL after a failed attempt', async () => {
    const tried: string[] = [];
    const transport = memoryTransport(() => {}, { refuse: () => false });
    const spy = {
      ...transport,
      connect: (request: Parameters<typeof transport.connect>[0]) => (
        tried.push(request.url),
        transport.connect({ ...request, url: request.url.includes('down') ? 'not a url' : request.url })
      ),
    };
    const client = createClient({
      urls: ['ws://down.test/ws', 'ws://up.test/ws'],
      transport: spy,
      reconnect: { initialDelayMs: 5, minDelayMs: 1 },
    });
    await waitFor(() => client.state === 'open');
    expect(tried).toEqual(['ws://down.test/ws', 'ws://up.test/ws']);
    await client.close();
  });
});
