#!/usr/bin/env bash
# Packs dashwire, installs the tarball into a fresh project with its peers, and checks what a
# user gets: ESM import, CJS require, the subpaths, and typed events under TypeScript
# (an unknown event name must be a compile error). Run from anywhere: npm run test:pack
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d /tmp/dashwire-pack.XXXXXX)"
trap 'rm -rf "$work"' EXIT

cd "$repo"
npm run build >/dev/null
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "== packed $tarball"

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline --loglevel=error "./$tarball" zod react react-dom ws mock-socket >/dev/null
echo "== installed into $work"

cat > esm.mjs <<'JS'
import { createClient, native, presets, DashwireError } from 'dashwire';
import { DashwireProvider, useEvent } from 'dashwire/react';
import { createMockServer } from 'dashwire/mock-server';
import { createTestServer } from 'dashwire/testing';
for (const [name, value] of Object.entries({ createClient, native, DashwireError, DashwireProvider, useEvent, createMockServer, createTestServer })) {
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
if (typeof createClient !== 'function') throw new Error('CJS: createClient');
if (!isDashwireError(new DashwireError('unknown', 'x'))) throw new Error('CJS: isDashwireError');
if (typeof react.useLatest !== 'function') throw new Error('CJS: dashwire/react');
if (typeof mock.createMockServer !== 'function') throw new Error('CJS: dashwire/mock-server');
if (typeof testing.createTestServer !== 'function') throw new Error('CJS: dashwire/testing');
console.log('CJS require ok');
JS
node cjs.cjs

cat > consumer.ts <<'TS'
import { createClient, defineEvents, native } from 'dashwire';
import { useEvent } from 'dashwire/react';
import { createMockServer } from 'dashwire/mock-server';
import { createTestServer } from 'dashwire/testing';
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
echo "TypeScript consumer ok (typed events; unknown and reserved names rejected)"
echo "== pack smoke passed"
