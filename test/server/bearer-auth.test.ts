import { describe, expect, it } from 'vitest';
import { authorizeBearer } from '../../src/server/bearer-auth.js';
import { jsonResponse, type AuthCheck, type HttpResponse } from '../../src/server/dialect.js';
import { httpRequest } from '../../src/server/engine-http.js';
import { fakeHost } from './fakes.js';

const served = jsonResponse(200, { served: true });
const ask = (auth: AuthCheck | undefined, authorization?: string) =>
  authorizeBearer(
    httpRequest('GET', '/events', new URLSearchParams(), authorization ? { Authorization: authorization } : {}, ''),
    fakeHost({ auth }),
    () => served,
  );

describe('bearer auth of HTTP routes', () => {
  it('serves every request when the server requires no auth', () => {
    expect(ask(undefined)).toBe(served);
  });

  it('serves a token the check accepts, whatever the scheme case', async () => {
    const check = (token: string) => token === 'good';
    expect(ask(check, 'Bearer good')).toBe(served);
    expect(ask(check, 'bearer good')).toBe(served);
    expect(await ask((token) => Promise.resolve(token === 'good'), 'Bearer good')).toBe(served);
  });

  it('answers 401 with WWW-Authenticate when the token is missing, refused or the check fails', async () => {
    const check = (token: string) => token === 'good';
    const statuses = [
      ask(check) as HttpResponse,
      ask(check, 'Basic good') as HttpResponse,
      ask(check, 'Bearer bad') as HttpResponse,
      ask(() => {
        throw new Error('check bug');
      }, 'Bearer good') as HttpResponse,
      await ask(() => Promise.reject(new Error('down')), 'Bearer good'),
      await ask(() => Promise.resolve(false), 'Bearer good'),
    ];
    for (const response of statuses) {
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    expect(JSON.parse(statuses[0]!.body)).toEqual({
      error: 'unauthorized',
      message: 'this server requires "Authorization: Bearer <token>"',
    });
    expect(JSON.parse(statuses[2]!.body)).toEqual({ error: 'unauthorized', message: 'token refused' });
  });
});
