import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  polling,
  defineProtocol,
  native,
  webSocketTransport,
  type Client,
  type DashboardEvents,
  type Protocol,
  type WebSocketConstructor,
} from '../../src/index.js';
import { withQuery } from '../../src/protocol/json.js';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { waitFor } from '../helpers/wait.js';
import { reachableStrings } from './harness.js';

/**
 * Security options: `requireSecure` refuses plaintext URLs, the polling fallback's included;
 * the token never appears in anything the client emits (errors and their `cause` chains,
 * state changes, invalid/unknown reports, stats) nor in the console.
 */

const TOKEN = 'sekrit-TOKEN-4f2a9c';

/** Native frames, but the token goes in the URL (`?token=`), as some servers require. */
const tokenInUrl: Protocol<DashboardEvents> = defineProtocol({
  ...native(),
  name: 'native-token-in-url',
  authUrl: (url: string, token: string) => withQuery(url, 'token', token),
  encodeAuth: () => null,
});

/** Everything a client emits, and its stats and error, as one bag of strings. */
function record(client: Client<DashboardEvents>) {
  const emitted: unknown[] = [];
  for (const event of ['state', 'error', 'invalid', 'unknown', 'gap'] as const)
    client.on(event, (payload: unknown) => emitted.push(payload));
  return {
    emitted,
    strings: () => [
      ...reachableStrings(emitted),
      ...reachableStrings(client.stats()),
      ...reachableStrings(client.error),
    ],
  };
}

describe('requireSecure', () => {
  it('refuses ws:// and http:// URLs, including the polling fallback URL, with `insecure_url`', () => {
    const secure = { requireSecure: true, lazy: true } as const;
    expect(() => createClient({ ...secure, url: 'ws://feed.test/ws' })).toThrow(
      expect.objectContaining({ code: 'insecure_url' }),
    );
    expect(() => createClient({ ...secure, urls: ['wss://a.test/ws', 'ws://b.test/ws'] })).toThrow(
      expect.objectContaining({ code: 'insecure_url' }),
    );
    expect(() => createClient({ ...secure, url: 'http://feed.test/ws' })).toThrow(
      expect.objectContaining({ code: 'insecure_url' }),
    );
    expect(() =>
      createClient({ ...secure, url: 'wss://feed.test/ws', fallback: polling({ url: 'http://feed.test' }) }),
    ).toThrow(expect.objectContaining({ code: 'insecure_url' }));
    // Secure URLs, and a polling URL derived from wss:// (https://), pass.
    expect(() =>
      createClient({ ...secure, url: 'wss://feed.test/ws', fallback: polling({ url: 'https://feed.test' }) }),
    ).not.toThrow();
    expect(() => createClient({ ...secure, url: 'wss://feed.test/ws', fallback: polling() })).not.toThrow();
    // Without the option, plaintext stays allowed (local development).
    expect(() =>
      createClient({ url: 'ws://127.0.0.1:1/ws', lazy: true, fallback: polling({ url: 'http://127.0.0.1:1' }) }),
    ).not.toThrow();
  });

  it('the insecure_url error does not echo the URL (it may hold a token)', () => {
    let error: unknown;
    try {
      createClient({ requireSecure: true, lazy: true, url: `ws://feed.test/ws?token=${TOKEN}` });
    } catch (e) {
      error = e;
    }
    expect(reachableStrings(error).join('\n')).not.toContain(TOKEN);
  });
});

describe('the token never leaks', () => {
  let server: MockServer | undefined;
  const clients: Client<DashboardEvents>[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const c of clients.splice(0)) await c.close();
    await server?.close();
    server = undefined;
  });

  function consoleSpy() {
    const lines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation(
        (...args: unknown[]) => void lines.push(reachableStrings(args).join(' ')),
      );
    }
    return lines;
  }

  it('not when the runtime rejects a token-bearing URL (ws quotes it: "Invalid URL: …?token=…")', async () => {
    const lines = consoleSpy();
    // Port out of range: ws throws a SyntaxError whose message is the whole URL. createClient
    // refuses such a URL itself (invalid_url), so here the port breaks only once the token is in.
    const breaksWithToken = defineProtocol({
      ...tokenInUrl,
      authUrl: (url: string, token: string) => withQuery(url.replace(':9/', ':99999/'), 'token', token),
    });
    const client = createClient({
      url: 'ws://127.0.0.1:9/ws',
      protocol: breaksWithToken,
      reconnect: { maxAttempts: 2, initialDelayMs: 10, minDelayMs: 5 },
      auth: { token: () => TOKEN },
    });
    clients.push(client);
    const { strings, emitted } = record(client);
    await waitFor(() => client.state === 'closed', 5_000);
    expect(emitted.length).toBeGreaterThan(0);
    expect(JSON.stringify(reachableStrings(client.error))).toContain('Invalid URL'); // the diagnosis survives…
    expect(strings().join('\n')).not.toContain(TOKEN); // …the token does not
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('not when a browser-style WebSocket constructor throws with the URL in its message', async () => {
    const Throwing = function (url: string) {
      throw new SyntaxError(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`);
    } as unknown as WebSocketConstructor;
    const client = createClient({
      url: 'wss://feed.test/ws',
      protocol: tokenInUrl,
      transport: webSocketTransport({ WebSocket: Throwing }),
      reconnect: { maxAttempts: 1, initialDelayMs: 10, minDelayMs: 5 },
      auth: { token: () => TOKEN },
    });
    clients.push(client);
    const { strings } = record(client);
    await waitFor(() => client.state === 'closed', 5_000);
    const all = strings().join('\n');
    expect(all).toContain('wss://feed.test/ws');
    expect(all).not.toContain(TOKEN);
  });

  it('not through refused credentials, state changes, errors or stats (real server, token in the auth frame)', async () => {
    const lines = consoleSpy();
    server = await createMockServer({ protocol: 'native', feed: false, auth: () => false });
    const client = createClient({
      url: server.url,
      auth: { token: () => TOKEN },
      reconnect: { initialDelayMs: 10, minDelayMs: 5 },
    });
    clients.push(client);
    const { strings } = record(client);
    client.subscribe('prices');
    await waitFor(() => client.state === 'closed', 5_000);
    expect(client.error?.code).toBe('auth_failed');
    // The server did receive it (the test would prove nothing otherwise)…
    expect(server.received.some((f) => f.frame.includes(TOKEN))).toBe(true);
    // …and nothing the client surfaced repeats it.
    expect(strings().join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('not through a connection refused at the TCP level with the token in the URL', async () => {
    const client = createClient({
      url: 'ws://127.0.0.1:9/ws',
      protocol: tokenInUrl,
      reconnect: { maxAttempts: 2, initialDelayMs: 10, minDelayMs: 5 },
      auth: { token: () => TOKEN },
    });
    clients.push(client);
    const { strings, emitted } = record(client);
    await waitFor(() => client.state === 'closed', 5_000);
    expect(emitted.length).toBeGreaterThan(0);
    expect(strings().join('\n')).not.toContain(TOKEN);
  });
});
