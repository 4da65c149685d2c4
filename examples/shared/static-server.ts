/**
 * A tiny static file server for the dashboard examples and their browser test: GET/HEAD
 * of files under one directory, `index.html` for `/`, on 127.0.0.1 only.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticServer {
  /** e.g. `http://127.0.0.1:5173/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 (`port` 0 picks a free one). */
export async function serveStatic(dir: string, port = 0): Promise<StaticServer> {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://static.invalid').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    // Never outside `dir`, whatever `..` the path holds.
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    stat(file)
      .then((info) => (info.isFile() ? readFile(file) : Promise.reject(new Error('not a file'))))
      .then(
        (body) => {
          res.writeHead(200, {
            'content-type': types[extname(file)] ?? 'application/octet-stream',
            'cache-control': 'no-store',
          });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
      );
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ready());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
