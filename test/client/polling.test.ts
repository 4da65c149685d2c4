import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { native, pollingTransport, type FetchLike } from '../../src/index.js';
import type { CloseInfo, ConnectionHandlers } from '../../src/transport/types.js';
import type { Inbound } from '../../src/protocol/types.js';
import { flush } from '../helpers/scripted-server.js';

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

function harness(fetch: FetchLike, intervalMs = 1_000) {
  const log: string[] = [];
  const items: Inbound[] = [];
  let closed: CloseInfo | undefined;
  const handlers: ConnectionHandlers = {
    onOpen: () => log.push('open'),
    onMessage: () => log.push('message'),
    onInbound: (batch) => items.push(...batch),
    onError: (e) => log.push(`error:${e.code}`),
    onClose: (info) => {
      closed = info;
      log.push('close');
    },
  };
  const connection = pollingTransport({ fetch, intervalMs }).connect({
    url: 'http://feed.test',
    protocol: native(),
    handlers,
    channels: () => [{ channel: 'prices', params: {}, since: 4 }],
  });
  return { connection, log, items, closed: () => closed };
}

const page = (seqs: number[]) =>
  JSON.stringify({ events: seqs.map((seq) => ({ op: 'event', channel: 'prices', seq, type: 'price_update', data: {} })), next: seqs.at(-1) ?? 4 });

describe('pollingTransport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls the native /events endpoint with each channel\'s cursor, and sends If-None-Match after an ETag', async () => {
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
    const { fetch, calls } = fakeFetch(() => (n++ === 1 ? { status: 429, headers: { 'retry-after': '10' } } : { status: 200, body: page([]) }));
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
});
