#!/usr/bin/env bash
# Packs dashwire as a fresh clone would (no dist/ until `prepack` builds it), checks what the
# tarball holds, installs it into a fresh project, and checks what a user gets: the core without
# the optional peers, then ESM import, CJS require, the subpaths, and typed events under
# TypeScript (an unknown event name or channel must be a compile error). Run: npm run test:pack
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/dashwire-pack.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The checkout as `git clone` would give it: tracked and new files, nothing ignored (no dist/).
# node_modules is linked, not installed: npm ci is not what this test is about.
clone="$work/clone"
mkdir -p "$clone"
cd "$repo"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  [ -e "$file" ] && printf '%s\0' "$file"
done | xargs -0 cp --parents -t "$clone"
ln -s "$repo/node_modules" "$clone/node_modules"
[ ! -e "$clone/dist" ] || { echo "dist/ leaked into the fresh copy"; exit 1; }

cd "$clone"
tarball="$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)"
echo "== packed $tarball from a fresh copy (prepack built dist/)"
listing="$(tar tzf "$work/$tarball")"
for expected in package/dist/index.js package/dist/index.cjs package/dist/index.d.ts package/dist/cli.js \
  package/dist/otel/index.js package/dist/otel.d.ts package/docs/cli.md package/docs/otel.md package/LICENSE; do
  grep -qx "$expected" <<<"$listing" || { echo "tarball lacks $expected"; exit 1; }
done
if grep -q '^package/docs/api/' <<<"$listing"; then echo "tarball carries the generated docs/api"; exit 1; fi
echo "== tarball holds dist/, docs/*.md and LICENSE"

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline --loglevel=error "./$tarball" zod >/dev/null
cat > bare.mjs <<'JS'
// Only dashwire and zod installed: the core loads, and in Node 20 says which package is missing.
import { createClient } from 'dashwire';
if (typeof globalThis.WebSocket === 'function') {
  console.log('core without peers ok (this Node has a global WebSocket)');
} else {
  const client = createClient({ url: 'ws://127.0.0.1:1/ws', reconnect: { maxAttempts: 1 } });
  const errors = [];
  client.on('error', (e) => errors.push(e));
  await new Promise((resolve) => client.on('state', ({ current, error }) => (error && errors.push(error), current === 'closed' && resolve())));
  await client.close();
  const missing = errors.find((e) => e.code === 'no_websocket');
  if (!missing || !/install the `ws` package/.test(missing.message)) throw new Error(`bare: ${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
  console.log('core without peers ok (no_websocket names ws)');
}
JS
node bare.mjs
# The CLI bundles ws: the demo (server and client) runs with nothing but dashwire and zod.
./node_modules/.bin/dashwire --version
./node_modules/.bin/dashwire demo --duration 1 | grep -q price_update || { echo "CLI demo without ws printed no event"; exit 1; }
echo "CLI without ws ok (demo printed events)"
npm install --no-audit --no-fund --prefer-offline --loglevel=error react react-dom ws mock-socket @opentelemetry/api >/dev/null
echo "== installed into $work"

cat > esm.mjs <<'JS'
import { createClient, native, presets, DashwireError } from 'dashwire';
import { DashwireProvider, useEvent } from 'dashwire/react';
import { createMockServer } from 'dashwire/mock-server';
import { createTestServer } from 'dashwire/testing';
import { instrumentClient } from 'dashwire/otel';
for (const [name, value] of Object.entries({ createClient, native, DashwireError, DashwireProvider, useEvent, createMockServer, createTestServer, instrumentClient })) {
  if (typeof value !== 'function') throw new Error(`ESM: ${name} is ${typeof value}`);
}
if (typeof presets.sentio !== 'function') throw new Error('ESM: presets.sentio missing');
// A real round trip through the installed package.
const server = await createMockServer({ feed: false });
const client = createClient({ url: server.url });
const sub = client.subscribe('prices');
const got = new Promise((resolve) => sub.on('price_update', (tick) => resolve(tick.price)));
await sub.ready;
server.publish('prices', 'price_update', { symbol: 'BTC', price: '64000.50', change_24h: '1.2', ts: 1 });
const price = await got;
await client.close();
await server.close();
if (price !== '64000.50') throw new Error(`ESM: got ${price}`);
console.log('ESM import ok (round trip through the mock server)');
JS
node esm.mjs

cat > cjs.cjs <<'JS'
const { createClient, DashwireError, isDashwireError } = require('dashwire');
const react = require('dashwire/react');
const mock = require('dashwire/mock-server');
const testing = require('dashwire/testing');
const otel = require('dashwire/otel');
if (typeof createClient !== 'function') throw new Error('CJS: createClient');
if (!isDashwireError(new DashwireError('unknown', 'x'))) throw new Error('CJS: isDashwireError');
if (typeof react.useLatest !== 'function') throw new Error('CJS: dashwire/react');
if (typeof mock.createMockServer !== 'function') throw new Error('CJS: dashwire/mock-server');
if (typeof testing.createTestServer !== 'function') throw new Error('CJS: dashwire/testing');
if (typeof otel.instrumentClient !== 'function') throw new Error('CJS: dashwire/otel');
console.log('CJS require ok');
JS
node cjs.cjs

cat > consumer.ts <<'TS'
import { createClient, defineEvents, native } from 'dashwire';
import { useEvent } from 'dashwire/react';
import { createMockServer } from 'dashwire/mock-server';
import { createTestServer } from 'dashwire/testing';
import { instrumentClient } from 'dashwire/otel';
import * as z from 'zod';

const events = defineEvents({ order_filled: z.object({ id: z.string(), price: z.string() }) });
const client = createClient({ url: 'ws://127.0.0.1:1/ws', protocol: native({ events }), lazy: true });
client.on('order_filled', (fill) => {
  const price: string = fill.price;
  // @ts-expect-error — price is a string, not a number
  const wrong: number = fill.price;
  void price;
  void wrong;
});
// @ts-expect-error — an unknown event name must not compile
client.on('order_filed', () => {});
// @ts-expect-error — reserved lifecycle names cannot be message types
defineEvents({ state: z.object({}) });
const dashboard = createClient({ url: 'ws://127.0.0.1:1/ws', lazy: true });
dashboard.subscribe('prices').on('price_update', (tick) => tick.symbol.toUpperCase());
// @ts-expect-error — a channel the default catalogue does not declare
dashboard.subscribe('pricez');
instrumentClient(dashboard).dispose();
void useEvent;
void createMockServer;
void createTestServer;
TS
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "lib": ["ES2022", "DOM"],
    "types": []
  },
  "files": ["consumer.ts"]
}
JSON
node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json
echo "TypeScript consumer ok (typed events; unknown names, channels and reserved names rejected)"
echo "== pack smoke passed"
