import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { createFeedEngine } from '../../src/server/engine.js';
import { nativeDialect } from '../../src/server/native-dialect.js';

const tick = (n: number) => ({ symbol: 'ETH', price: `${n}.00`, change_24h: '0.00', ts: n });

describe('REST polling endpoint GET /events', () => {
  let server: MockServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('returns native event frames after `since` and the last seq as `next`', async () => {
    server = await createMockServer();
    for (let i = 1; i <= 4; i += 1) server.publish('prices', 'price_update', tick(i));
    server.publish('trades', 'trade', { id: 't1' });
    const res = await fetch(`${server.httpUrl}/events?channel=prices&since=2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as { events: { seq: number }[]; next: number };
    expect(body.next).toBe(4);
    expect(body.events).toEqual([
      { op: 'event', channel: 'prices', seq: 3, type: 'price_update', data: tick(3), ts: expect.any(Number) },
      { op: 'event', channel: 'prices', seq: 4, type: 'price_update', data: tick(4), ts: expect.any(Number) },
    ]);
    const all = (await (await fetch(`${server.httpUrl}/events?channel=prices&since=0`)).json()) as {
      events: unknown[];
    };
    expect(all.events).toHaveLength(4);
    // No cursor means "from now": no history, only the position to poll from.
    expect(await (await fetch(`${server.httpUrl}/events?channel=prices`)).json()).toEqual({ events: [], next: 4 });
    expect(await (await fetch(`${server.httpUrl}/events?channel=alerts&since=0`)).json()).toEqual({
      events: [],
      next: 0,
    });
  });

  it('answers If-None-Match with 304 until something new is published', async () => {
    server = await createMockServer();
    server.publish('prices', 'price_update', tick(1));
    const url = `${server.httpUrl}/events?channel=prices&since=1`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const same = await fetch(url, { headers: { 'If-None-Match': etag! } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    server.publish('prices', 'price_update', tick(2));
    const changed = await fetch(url, { headers: { 'If-None-Match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { events: unknown[] }).events).toHaveLength(1);
  });

  it('says recovered:false when the buffer no longer reaches back to `since`', async () => {
    server = await createMockServer({ replayBuffer: 2 });
    for (let i = 1; i <= 5; i += 1) server.publish('prices', 'price_update', tick(i));
    const body = (await (await fetch(`${server.httpUrl}/events?channel=prices&since=1`)).json()) as Record<
      string,
      unknown
    >;
    // No partial history (as on the WebSocket): the client reports {2…5} as a gap and moves on.
    expect(body).toEqual({ events: [], next: 5, recovered: false });
  });

  it('rejects bad queries, answers CORS preflight, health and 404', async () => {
    server = await createMockServer();
    expect((await fetch(`${server.httpUrl}/events`)).status).toBe(400);
    expect((await fetch(`${server.httpUrl}/events?channel=prices&since=-3`)).status).toBe(400);
    const preflight = await fetch(`${server.httpUrl}/events?channel=prices`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/if-none-match/);
    expect(await (await fetch(`${server.httpUrl}/health`)).json()).toEqual({
      ok: true,
      protocol: 'native',
      clients: 0,
    });
    expect((await fetch(`${server.httpUrl}/nope`)).status).toBe(404);
  });
});

describe('engine.http without a socket', () => {
  it('serves the same routes to a direct call', () => {
    const engine = createFeedEngine();
    engine.publish('alerts', 'alert', { id: 'a1' });
    const res = engine.http('GET', '/events', new URLSearchParams({ channel: 'alerts', since: '0' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ next: 1, events: [{ seq: 1, type: 'alert' }] });
    expect(
      engine.http('GET', '/events', new URLSearchParams({ channel: 'alerts', since: '0' }), {
        'if-none-match': res.headers.etag!,
      }).status,
    ).toBe(304);
    expect(engine.http('POST', '/events', new URLSearchParams({ channel: 'alerts' })).status).toBe(405);
    engine.close();
  });
});

describe('GET /events?channels=… (every channel in one request)', () => {
  const engine = () => {
    const e = createFeedEngine({ protocol: 'native', replayBuffer: 3 });
    for (let i = 1; i <= 5; i += 1) e.publish('prices', 'price_update', tick(i));
    e.publish('a,b:c', 'alert', { id: 'x' });
    return e;
  };
  const get = (e: ReturnType<typeof createFeedEngine>, channels: string, headers: Record<string, string> = {}) =>
    e.http('GET', '/events', new URLSearchParams({ channels }), headers);

  it('answers each channel from its own cursor, in one body, with per-channel positions', () => {
    const e = engine();
    const res = get(e, `prices:3,${encodeURIComponent('a,b:c')}:0,trades`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { events: { channel: string; seq: number }[]; next: Record<string, number> };
    expect(body.events.map((ev) => `${ev.channel}#${ev.seq}`)).toEqual(['prices#4', 'prices#5', 'a,b:c#1']);
    // trades had no cursor: "from now", no history, only its position.
    expect(body.next).toEqual({ prices: 5, 'a,b:c': 1, trades: 0 });
    expect(body).not.toHaveProperty('recovered');
    e.close();
  });

  it('names the channels whose history is gone, and answers If-None-Match with 304', () => {
    const e = engine();
    const res = get(e, 'prices:0');
    expect(JSON.parse(res.body)).toMatchObject({ next: { prices: 5 }, recovered: { prices: false } });
    expect(get(e, 'prices:0', { 'if-none-match': res.headers.etag! }).status).toBe(304);
    e.publish('prices', 'price_update', tick(6));
    expect(get(e, 'prices:0', { 'if-none-match': res.headers.etag! }).status).toBe(200);
    e.close();
  });

  it('rejects a malformed list', () => {
    const e = engine();
    for (const bad of ['prices:-1', 'prices:1:2', ':3', 'prices:x']) expect(get(e, bad).status).toBe(400);
    e.close();
  });
});

describe('GET /events: per-channel errors, paging and auth (protocol §8)', () => {
  const get = (
    e: ReturnType<typeof createFeedEngine>,
    query: Record<string, string>,
    headers: Record<string, string> = {},
  ) => e.request('GET', '/events', new URLSearchParams(query), headers);
  const bodyOf = async (res: Promise<{ status: number; body: string }>) =>
    JSON.parse((await res).body) as Record<string, unknown>;

  it('an unknown channel in a multi-channel poll is an entry in `errors`; the others are served with 200', async () => {
    const e = createFeedEngine();
    e.publish('prices', 'price_update', tick(1));
    const res = await get(e, { channels: 'prices:0,pricez:0' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      events: [expect.objectContaining({ channel: 'prices', seq: 1 })],
      next: { prices: 1 },
      errors: { pricez: { code: 'unknown_channel', message: 'no channel "pricez"' } },
    });
    // The one-channel form has nothing else to serve: 404.
    expect((await get(e, { channel: 'pricez', since: '0' })).status).toBe(404);
  });

  it('pages at the page limit: next = last seq served, more: true, and the next page carries on', async () => {
    const e = createFeedEngine({ protocol: nativeDialect({ pageLimit: 2 }) });
    for (let i = 1; i <= 5; i += 1) e.publish('prices', 'price_update', tick(i));
    e.publish('trades', 'trade', { id: 't1' });
    const first = await bodyOf(get(e, { channels: 'prices:0,trades:0' }));
    expect((first.events as { seq: number }[]).map((ev) => ev.seq)).toEqual([1, 2]);
    expect(first).toMatchObject({ next: { prices: 2, trades: 0 }, more: true });
    const second = await bodyOf(get(e, { channels: 'prices:2,trades:0' }));
    expect(second).toMatchObject({ next: { prices: 4, trades: 0 }, more: true });
    const third = await bodyOf(get(e, { channels: 'prices:4,trades:0' }));
    expect((third.events as { channel: string; seq: number }[]).map((ev) => `${ev.channel}#${ev.seq}`)).toEqual([
      'prices#5',
      'trades#1',
    ]);
    expect(third).toEqual(expect.not.objectContaining({ more: expect.anything() }));
  });

  it('keeps each body within maxBytes, and skips an event that can never fit (recovered:false at the end)', async () => {
    const e = createFeedEngine();
    for (let i = 1; i <= 20; i += 1) e.publish('prices', 'price_update', tick(i));
    let since = 0;
    const seen: number[] = [];
    for (let round = 0; round < 30; round += 1) {
      const res = await get(e, { channels: `prices:${since}`, maxBytes: '400' });
      expect(new TextEncoder().encode(res.body).length).toBeLessThanOrEqual(400);
      const body = JSON.parse(res.body) as { events: { seq: number }[]; next: Record<string, number>; more?: boolean };
      seen.push(...body.events.map((ev) => ev.seq));
      since = body.next.prices!;
      if (!body.more) break;
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    e.publish('prices', 'price_update', { ...tick(21), note: 'x'.repeat(1_000) });
    expect(await bodyOf(get(e, { channels: 'prices:20', maxBytes: '400' }))).toEqual({
      events: [],
      next: { prices: 21 },
      recovered: { prices: false },
    });
  });

  it('with auth: 401 without or with a refused Bearer token, served with a good one (async checks too)', async () => {
    const e = createFeedEngine({ auth: async (token) => token === 'good' });
    expect((await get(e, { channels: 'prices' })).status).toBe(401);
    const refused = await get(e, { channels: 'prices' }, { authorization: 'Bearer bad' });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect((await get(e, { channels: 'prices' }, { Authorization: 'Bearer good' })).status).toBe(200);
    expect(() =>
      e.http('GET', '/events', new URLSearchParams({ channels: 'prices' }), { authorization: 'Bearer good' }),
    ).toThrow(/engine.request/);
  });
});
