import { jsonResponse, type DialectHost, type HttpRequest, type HttpResponse, type ServerDialect } from './dialect.js';
import { pollRoute } from './poll-route.js';

/** Sent on every answer, so a browser app on another origin can poll the mock server. */
const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, if-none-match',
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-expose-headers': 'etag',
};

/** A request as an adapter hands it over, normalized: method upper case, header names lower case. */
export function httpRequest(
  method: string,
  path: string,
  query: URLSearchParams,
  headers: Readonly<Record<string, string>>,
  body: string,
): HttpRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: method.toUpperCase(), path, query, headers: lower, body };
}

const withCors = (response: HttpResponse): HttpResponse => ({
  ...response,
  headers: { ...corsHeaders, ...response.headers },
});

const failed = (cause: unknown): HttpResponse =>
  jsonResponse(500, { error: 'internal', message: cause instanceof Error ? cause.message : String(cause) });

/**
 * The engine's HTTP answer, CORS headers on each: a preflight gets 204; then the dialect's
 * routes (a throwing or rejecting route gets 500), `/poll/<channel>`, `/health`, else 404.
 * A promise only when the dialect's route waits (an async auth check).
 */
export function routeHttp(
  request: HttpRequest,
  dialect: ServerDialect,
  host: DialectHost,
): HttpResponse | Promise<HttpResponse> {
  if (request.method === 'OPTIONS')
    return withCors({ status: 204, headers: { 'access-control-max-age': '600' }, body: '' });
  let routed: HttpResponse | Promise<HttpResponse> | undefined;
  try {
    routed = dialect.http?.(request, host);
  } catch (cause) {
    routed = failed(cause);
  }
  if (routed && 'then' in routed) return routed.then(withCors, (cause: unknown) => withCors(failed(cause)));
  if (!routed) routed = pollRoute(request, dialect, host);
  if (!routed && request.path === '/health')
    routed = jsonResponse(200, { ok: true, protocol: dialect.name, clients: host.clients().length });
  return withCors(
    routed ?? jsonResponse(404, { error: 'not_found', message: `no route ${request.method} ${request.path}` }),
  );
}
