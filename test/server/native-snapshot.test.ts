import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/server/dialect.js';
import { httpRequest } from '../../src/server/engine-http.js';
import { channelState, snapshotRoute } from '../../src/server/native-snapshot.js';
import { fakeHost } from './fakes.js';

const get = (query: string, headers: Record<string, string> = {}) =>
  httpRequest('GET', '/snapshot', new URLSearchParams(query), headers, '');

describe('native snapshot', () => {
  it('keeps the last event per (type, key), oldest first, and events without a key', () => {
    const host = fakeHost();
    host.publish('prices', 'price_update', { symbol: 'BTC', price: '1' });
    host.publish('prices', 'price_update', { symbol: 'ETH', price: '2' });
    host.publish('prices', 'notice', 'plain text');
    host.publish('prices', 'price_update', { symbol: 'BTC', price: '3' });
    host.publish('prices', 'halt', { symbol: 'BTC' });
    expect(channelState(host, 'prices')).toEqual({
      seq: 5,
      items: [
        { type: 'price_update', data: { symbol: 'ETH', price: '2' } },
        { type: 'notice', data: 'plain text' },
        { type: 'price_update', data: { symbol: 'BTC', price: '3' } },
        { type: 'halt', data: { symbol: 'BTC' } },
      ],
    });
  });

  it('serves the state as JSON, refusing unknown channels, bad params and other methods', () => {
    const host = fakeHost({ known: ['prices'] });
    host.publish('prices', 'price_update', { symbol: 'BTC' });
    const answer = (query: string) => snapshotRoute(get(query), host) as HttpResponse;
    const ok = answer('channel=prices');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ seq: 1, items: [{ type: 'price_update', data: { symbol: 'BTC' } }] });
    expect(answer('channel=prices&params=%7B%7D').status).toBe(200);
    expect(answer('channel=prices&params=nope').status).toBe(400);
    expect(answer('').status).toBe(400);
    expect(answer('channel=alerts').status).toBe(404);
    const post = snapshotRoute(httpRequest('POST', '/snapshot', new URLSearchParams('channel=prices'), {}, ''), host);
    expect((post as HttpResponse).status).toBe(405);
  });

  it('asks for the bearer token when the server requires auth', () => {
    const host = fakeHost({ auth: (token) => token === 'good' });
    expect((snapshotRoute(get('channel=prices'), host) as HttpResponse).status).toBe(401);
    expect((snapshotRoute(get('channel=prices', { authorization: 'Bearer good' }), host) as HttpResponse).status).toBe(
      200,
    );
  });
});
