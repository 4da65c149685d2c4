import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, polling, native, pollingTransport, type FetchLike } from '../../src/index.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { useCleanup } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';
import type { CloseInfo, ConnectionHandlers } from '../../src/transport/types.js';
import type { Inbound } from '../../src/protocol/types.js';
import { flush } from '../helpers/scripted-server.js';
import { createPollCodec } from '../../src/protocol/poll-codec.js';

type Reply = { status: number; body?: string; headers?: Record<string, string> };

function fakeFetch(replies: (url: string, headers: Record<string, string>) => Reply | Promise<Reply>) {
  const calls: { url: string; headers: Record<string, string>; signal: AbortSignal }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, signal: init.signal });
    const reply = await replies(url, init.headers);
    return {
      status: reply.status,
      headers: { get: (name: string) => reply.headers?.[name.toLowerCase()] ?? null },
      text: async () => reply.body ?? '',
    };
  };
  return { fetch, calls };
}

/**
 * The polling transport (bytes) with the native protocol's poll codec on top, as the client's
 * polling connection assembles them: the codec plans each round and decodes each body.
 */
function harness(
  fetch: FetchLike,
  intervalMs = 1_000,
  extra: {
    token?: string;
    maxMessageBytes?: number;
    channels?: () => { channel: string; params: Record<string, never>; since?: number }[];
  } = {},
) {
  const log: string[] = [];
  const items: Inbound[] = [];
  let closed: CloseInfo | undefined;
  const codec = createPollCodec(
    native().polling!,
    'http://feed.test',
    extra.maxMessageBytes === undefined ? {} : { maxBytes: extra.maxMessageBytes },
  );
  const channels = extra.channels ?? (() => [{ channel: 'prices', params: {}, since: 4 }]);
  const handlers: ConnectionHandlers = {
    onOpen: () => log.push('open'),
    onMessage: (body, key) => items.push(...codec.decode(body, key)),
    onError: (e) => log.push(`error:${e.code}`),
    onClose: (info) => {
      closed = info;
      log.push('close');
    },
  };
  // 4001: what the client's fallback configures for the native protocol's auth close code.
  const connection = pollingTransport({ fetch, intervalMs, unauthorizedCloseCode: 4001 }).connect({
    url: 'http://feed.test',
    handlers,
    poll: () => codec.plan(channels()),
    ...(extra.token === undefined ? {} : { token: extra.token }),
  });
  return { connection, log, items, closed: () => closed };
}

const page = (seqs: number[]) =>
  JSON.stringify({
    events: seqs.map((seq) => ({ op: 'event', channel: 'prices', seq, type: 'price_update', data: {} })),
    next: seqs.at(-1) ?? 4,
  });

describe('pollingTransport with the native poll codec', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("polls the native /events endpoint with each channel's cursor, and sends If-None-Match after an ETag", async () => {
    const { fetch, calls } = fakeFetch(() => ({ status: 200, body: page([5, 6]), headers: { etag: '"v1"' } }));
    const h = harness(fetch);
    await flush();
    expect(calls[0]!.url).toBe('http://feed.test/events?channels=prices%3A4');
    expect(h.log).toEqual(['open']);
    expect(h.items.map((i) => (i.kind === 'event' ? i.seq : i.kind))).toEqual([5, 6, 'ack']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls[1]!.headers['if-none-match']).toBe('"v1"');
    h.connection.close();
  });

  it('treats 304 as nothing new and keeps the interval', async () => {
    const { fetch, calls } = fakeFetch(() => ({ status: 304 }));
    const h = harness(fetch);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls).toHaveLength(4);
    expect(h.items).toEqual([]);
    h.connection.close();
  });

  it('honours Retry-After on 429', async () => {
    let n = 0;
    const { fetch, calls } = fakeFetch(() =>
      n++ === 1 ? { status: 429, headers: { 'retry-after': '10' } } : { status: 200, body: page([]) },
    );
    const h = harness(fetch);
    await vi.advanceTimersByTimeAsync(1_000); // second call: 429
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    h.connection.close();
  });

  it('backs off exponentially on 5xx and gives up after maxFailures', async () => {
    let n = 0;
    const { fetch, calls } = fakeFetch(() => (n++ === 0 ? { status: 200, body: page([]) } : { status: 500 }));
    const h = harness(fetch);
    await flush();
    const at: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 40 && !h.closed(); i++) {
      const before = calls.length;
      await vi.advanceTimersByTimeAsync(1_000);
      if (calls.length > before) at.push(Date.now() - start);
    }
    // After the first 500: waits 2 s, 4 s, 8 s, 16 s; the fifth failure closes.
    expect(at).toEqual([1_000, 3_000, 7_000, 15_000, 31_000]);
    expect(h.log.slice(-2)).toEqual(['error:http_error', 'close']);
  });

  it('fails the connect when the first poll fails (a fallback that cannot work)', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const h = harness(fetch);
    await flush();
    expect(h.log).toEqual(['error:http_error', 'close']);
  });

  it('close() aborts the request in flight and leaves no timer', async () => {
    let signal: AbortSignal | undefined;
    const { fetch } = fakeFetch(
      (_url) =>
        new Promise<Reply>((_resolve, reject) => {
          signal = calls.at(-1)!.signal;
          signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const { calls } = { calls: [] as { signal: AbortSignal }[] };
    const wrapped: FetchLike = (url, init) => {
      calls.push(init);
      return fetch(url, init);
    };
    const h = harness(wrapped);
    await flush();
    expect(signal?.aborted).toBe(false);
    h.connection.close();
    await flush();
    expect(signal?.aborted).toBe(true);
    expect(h.closed()).toMatchObject({ code: 1000, wasClean: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends the connection token as Authorization: Bearer, and closes with 4001 on a 401 (the client refreshes)', async () => {
    let n = 0;
    const { fetch, calls } = fakeFetch(() => (n++ === 0 ? { status: 200, body: page([]) } : { status: 401 }));
    const h = harness(fetch, 1_000, { token: 'jwt-1' });
    await flush();
    expect(calls[0]!.headers.authorization).toBe('Bearer jwt-1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.closed()).toMatchObject({ code: 4001, reason: 'unauthorized' });
    expect(calls).toHaveLength(2);
  });

  it('asks the server to page below maxMessageBytes, and follows more: true at once with the advanced cursor', async () => {
    let since = 4;
    const { fetch, calls } = fakeFetch((url) => {
      const cursor = Number(/prices%3A(\d+)/.exec(url)?.[1]);
      const seqs = cursor < 10 ? [cursor + 1, cursor + 2] : [];
      return {
        status: 200,
        body: JSON.stringify({ ...JSON.parse(page(seqs)), next: { prices: seqs.at(-1) ?? cursor }, more: cursor < 10 }),
      };
    });
    // As the client's pipeline does: taking an event advances the cursor, synchronously.
    const seen: number[] = [];
    const codec = createPollCodec(native().polling!, 'http://feed.test', { maxBytes: 4096 });
    const connection = pollingTransport({ fetch, intervalMs: 1_000 }).connect({
      url: 'http://feed.test',
      poll: () => codec.plan([{ channel: 'prices', params: {}, since }]),
      handlers: {
        onOpen() {},
        onError() {},
        onClose() {},
        onMessage(body, key) {
          for (const item of codec.decode(body, key)) {
            if (item.kind !== 'event') continue;
            seen.push(item.seq!);
            since = item.seq!;
          }
        },
      },
    });
    await flush();
    // Pages follow one another without the 1 s interval between them.
    await vi.advanceTimersByTimeAsync(10);
    expect(calls[0]!.url).toBe('http://feed.test/events?channels=prices%3A4&maxBytes=4096');
    expect(seen).toEqual([5, 6, 7, 8, 9, 10]);
    // No waiting between pages; then the normal interval.
    expect(calls).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(5);
    connection.close();
  });

  it('does not spin when a page says more but the cursor did not move', async () => {
    const { fetch, calls } = fakeFetch(() => ({
      status: 200,
      body: JSON.stringify({ events: [], next: { prices: 4 }, more: true }),
    }));
    const h = harness(fetch);
    await flush();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(calls).toHaveLength(3);
    h.connection.close();
  });

  it('a channel refused in the body is reported as an error item and no longer polled; the others go on', async () => {
    const { fetch, calls } = fakeFetch((url) =>
      url.includes('pricez')
        ? {
            status: 200,
            body: JSON.stringify({
              events: [],
              next: { prices: 4 },
              errors: { pricez: { code: 'unknown_channel', message: 'no channel "pricez"' } },
            }),
          }
        : { status: 200, body: JSON.stringify({ events: [], next: { prices: 4 } }) },
    );
    const h = harness(fetch, 1_000, {
      channels: () => [
        { channel: 'prices', params: {}, since: 4 },
        { channel: 'pricez', params: {} },
      ],
    });
    await flush();
    expect(h.items).toContainEqual({
      kind: 'error',
      channel: 'pricez',
      code: 'unknown_channel',
      message: 'no channel "pricez"',
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.map((c) => decodeURIComponent(c.url))).toEqual([
      'http://feed.test/events?channels=prices:4,pricez',
      'http://feed.test/events?channels=prices:4',
    ]);
    expect(h.log).toEqual(['open']);
    h.connection.close();
  });
});

describe('REST polling against the mock server (real HTTP on 127.0.0.1)', () => {
  const track = useCleanup();
  const tick = (i: number) => ({ symbol: 'ETH', price: `${2000 + i}.00`, change_24h: '0.10', ts: i });
  const pollingOnly = polling({ afterFailures: 1, intervalMs: 20, probe: { initialDelayMs: 600_000 } });

  it('sends auth.token() as Authorization: Bearer, and refreshes it on a 401 without losing an event', async () => {
    const valid = new Set(['jwt-1']);
    const presented: string[] = [];
    const server = track(await createMockServer({ auth: (token) => (presented.push(token), valid.has(token)) }));
    server.faults.blockUpgrades({ mode: '403' });
    let issued = 1;
    const client = track(
      createClient({
        url: server.url,
        reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
        fallback: pollingOnly,
        auth: { token: ({ reason }) => `jwt-${reason === 'refresh' ? ++issued : issued}` },
      }),
    );
    const seqs: number[] = [];
    client.subscribe('prices').on('price_update', (_p, meta) => seqs.push(meta.seq!));
    await waitFor(() => client.state === 'polling' && presented.includes('jwt-1'), 5_000);
    server.publish('prices', 'price_update', tick(1));
    await waitFor(() => seqs.length === 1, 5_000);
    // The token expires server-side: the next poll gets 401, the client asks for a new one.
    valid.delete('jwt-1');
    valid.add('jwt-2');
    server.publish('prices', 'price_update', tick(2));
    server.publish('prices', 'price_update', tick(3));
    await waitFor(() => seqs.length === 3, 5_000);
    expect(seqs).toEqual([1, 2, 3]);
    expect(presented).toContain('jwt-2');
    expect(client.state).toBe('polling');
  });

  it('a token refused again after its refresh stops the client with auth_failed', async () => {
    const server = track(await createMockServer({ auth: () => false }));
    server.faults.blockUpgrades({ mode: '403' });
    const asked: string[] = [];
    const client = track(
      createClient({
        url: server.url,
        reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
        fallback: pollingOnly,
        auth: { token: ({ reason }) => (asked.push(reason), `jwt-${asked.length}`) },
      }),
    );
    client.subscribe('prices');
    await waitFor(() => client.state === 'closed', 5_000);
    expect(client.error?.code).toBe('auth_failed');
    expect(asked).toContain('refresh');
  });

  it('an unknown channel fails that subscription alone (subscribe_failed); the others keep polling', async () => {
    const server = track(await createMockServer());
    server.faults.blockUpgrades({ mode: '403' });
    const client = track(
      createClient({ url: server.url, reconnect: { initialDelayMs: 10, maxDelayMs: 20 }, fallback: pollingOnly }),
    );
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    const good = client.subscribe('prices');
    const typo = client.subscribe('pricez' as 'prices');
    const seqs: number[] = [];
    good.on('price_update', (_p, meta) => seqs.push(meta.seq!));
    await waitFor(() => typo.state === 'error', 5_000);
    expect(typo.error?.code).toBe('subscribe_failed');
    for (let i = 1; i <= 3; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => seqs.length === 3, 5_000);
    expect(seqs).toEqual([1, 2, 3]);
    expect(good.state).toBe('subscribed');
    expect(client.state).toBe('polling');
    // Reported once, not once per poll.
    expect(errors.filter((c) => c === 'server_error')).toHaveLength(1);
  });

  it('a backlog larger than maxMessageBytes arrives in pages: every event once, in order', async () => {
    const server = track(await createMockServer({ replayBuffer: 5_000 }));
    const client = track(
      createClient({
        url: server.url,
        reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
        fallback: pollingOnly,
        maxMessageBytes: 8_192,
      }),
    );
    const seqs: number[] = [];
    const invalid: string[] = [];
    client.on('invalid', (e) => invalid.push(e.reason));
    const sub = client.subscribe('prices');
    sub.on('price_update', (_p, meta) => seqs.push(meta.seq!));
    await sub.ready;
    server.publish('prices', 'price_update', tick(0));
    await waitFor(() => seqs.length === 1, 5_000);
    // Go polling, then publish a backlog of ~100 kB between two polls.
    server.faults.blockUpgrades({ mode: '403' });
    client.usePolling();
    await waitFor(() => client.state === 'polling', 5_000);
    for (let i = 1; i <= 1_000; i++) server.publish('prices', 'price_update', tick(i));
    await waitFor(() => seqs.length === 1_001, 10_000);
    expect(seqs).toEqual(Array.from({ length: 1_001 }, (_, i) => i + 1));
    expect(invalid).toEqual([]);
  });
});
