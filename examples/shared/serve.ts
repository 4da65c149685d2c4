/**
 * One command per dashboard: starts `dashwire serve --preset ares` (the ARES hub,
 * synthetic feed) and serves the built dashboard, both on 127.0.0.1, then prints the page URL.
 *
 *   node examples/run.mjs examples/shared/serve.ts browser|react [--port 5173] [--ws-port 8080] [--rate 5]
 *
 * Run from the repository root after `npm run build` and `node examples/build.mjs` (the
 * `example:browser` / `example:react` npm scripts do all three). Ctrl-C stops both servers.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from './static-server.js';

const sites: Readonly<Record<string, string>> = {
  browser: 'examples/browser-dashboard',
  react: 'examples/react-dashboard/dist',
};

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} needs a port/number, got "${process.argv[at + 1]}"`);
  return value;
}

const name = process.argv[2] ?? '';
const site = sites[name];
const root = process.cwd();
if (!site) throw new Error(`usage: serve.ts browser|react [--port N] [--ws-port N] [--rate N]`);
for (const needed of ['dist/cli.js', join(site, 'index.html')]) {
  if (!existsSync(join(root, needed)))
    throw new Error(`${needed} is missing: run \`npm run build && node examples/build.mjs ${name}\` first`);
}

// The real CLI, as a user would start it; its first line says where it listens.
const hub = spawn(
  process.execPath,
  [
    'dist/cli.js',
    'serve',
    '--preset',
    'ares',
    '--port',
    String(option('ws-port', 8080)),
    '--rate',
    String(option('rate', 5)),
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const wsUrl = await new Promise<string>((found, fail) => {
  let text = '';
  hub.stdout.setEncoding('utf8');
  hub.stdout.on('data', (chunk: string) => {
    process.stdout.write(chunk);
    text += chunk;
    const match = /on (ws:\/\/\S+)/.exec(text);
    if (match?.[1]) found(match[1]);
  });
  hub.once('exit', (code) => fail(new Error(`dashwire serve exited (${code}) before listening`)));
});

const web = await serveStatic(join(root, site), option('port', 5173));
// One URL, and it names the feed: the page alone would look for the hub on port 8080, which is
// wrong as soon as --ws-port is given.
const page = `${web.url}?ws=${encodeURIComponent(wsUrl)}`;
console.log(`${name} dashboard: open ${page}   — Ctrl-C stops both servers`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  hub.kill('SIGINT');
  void web.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
hub.once('exit', (code) => {
  stop();
  process.exitCode = code ?? 0;
});
