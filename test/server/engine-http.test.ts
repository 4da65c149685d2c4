import { describe, expect, it } from 'vitest';
import { jsonResponse, type HttpResponse, type ServerDialect } from '../../src/server/dialect.js';
import { httpRequest, routeHttp } from '../../src/server/engine-http.js';
import { nativeDialect } from '../../src/server/native-dialect.js';
import { fakeHost } from './fakes.js';

const get = (path: string, query = '') => httpRequest('get', path, new URLSearchParams(query), {}, '');

/** The native dialect with its `http` routes replaced. */
const withRoutes = (http: ServerDialect['http']): ServerDialect => ({ ...nativeDialect(), http });

describe('engine HTTP front', () => {
  it('normalizes the method to upper case and header names to lower case', () => {
    const request = httpRequest('post', '/x', new URLSearchParams('a=1'), { 'If-None-Match': '"t"' }, 'body');
    expect(request).toMatchObject({ method: 'POST', path: '/x', headers: { 'if-none-match': '"t"' }, body: 'body' });
  });

  it('answers a preflight with 204 and CORS headers, before any route', () => {
    const dialect = withRoutes(() => jsonResponse(200, { routed: true }));
    const response = routeHttp(httpRequest('options', '/events', new URLSearchParams(), {}, ''), dialect, fakeHost());
    expect(response).toMatchObject({
      status: 204,
      headers: { 'access-control-allow-origin': '*', 'access-control-max-age': '600' },
    });
  });

  it("serves the dialect's route first, then /poll, /health and 404, each with CORS", () => {
    const host = fakeHost();
    host.publish('prices', 'tick', { n: 1 });
    const dialect = withRoutes((request) => (request.path === '/mine' ? jsonResponse(200, { mine: true }) : undefined));
    const answer = (path: string) => routeHttp(get(path), dialect, host) as HttpResponse;
    expect(JSON.parse(answer('/mine').body)).toEqual({ mine: true });
    expect(JSON.parse(answer('/poll/prices').body)).toEqual([expect.objectContaining({ op: 'event', seq: 1 })]);
    expect(JSON.parse(answer('/health').body)).toEqual({ ok: true, protocol: 'native', clients: 0 });
    const missing = answer('/nowhere');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: 'not_found', message: 'no route GET /nowhere' });
    for (const path of ['/mine', '/poll/prices', '/health', '/nowhere']) {
      expect(answer(path).headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('turns a throwing or rejecting route into a 500, not an exception', async () => {
    const throwing = withRoutes(() => {
      throw new Error('route bug');
    });
    const sync = routeHttp(get('/events'), throwing, fakeHost()) as HttpResponse;
    expect(sync.status).toBe(500);
    expect(JSON.parse(sync.body)).toEqual({ error: 'internal', message: 'route bug' });
    const rejecting = withRoutes(() => Promise.reject(new Error('async bug')));
    const later = await routeHttp(get('/events'), rejecting, fakeHost());
    expect(later.status).toBe(500);
    expect(later.headers['access-control-allow-origin']).toBe('*');
  });

  it('gives a promise only when the route waits', async () => {
    const waiting = withRoutes(() => Promise.resolve(jsonResponse(200, { late: true })));
    const response = routeHttp(get('/events'), waiting, fakeHost());
    expect(response).toBeInstanceOf(Promise);
    expect(JSON.parse((await response).body)).toEqual({ late: true });
  });
});
