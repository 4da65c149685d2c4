import { jsonResponse, type DialectHost, type HttpRequest, type HttpResponse } from './dialect.js';

function unauthorized(message: string): HttpResponse {
  return jsonResponse(401, { error: 'unauthorized', message }, { 'www-authenticate': 'Bearer' });
}

/**
 * Serves a request when its `Authorization: Bearer …` token passes the server's auth check
 * (or the server requires none); 401 otherwise. A throwing or rejecting check refuses.
 */
export function authorizeBearer(
  request: HttpRequest,
  host: DialectHost,
  serve: () => HttpResponse,
): HttpResponse | Promise<HttpResponse> {
  const check = host.auth;
  if (!check) return serve();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match) return unauthorized('this server requires "Authorization: Bearer <token>"');
  let verdict: boolean | Promise<boolean>;
  try {
    verdict = check(match[1]!);
  } catch {
    verdict = false;
  }
  if (typeof verdict === 'boolean') return verdict ? serve() : unauthorized('token refused');
  return verdict.then(
    (ok) => (ok ? serve() : unauthorized('token refused')),
    () => unauthorized('token refused'),
  );
}
