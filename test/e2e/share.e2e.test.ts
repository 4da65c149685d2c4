/**
 * `share: 'tabs'` in real Chromium: several pages of one origin against a real native mock
 * server. The server's own counts (connections, subscribe frames) and each page's received
 * seq lists are the assertions. Handover times are measured and printed, not asserted
 * (speed targets belong in benchmarks).
 *
 * The pages are bundled by esbuild from the source in beforeAll (page.ts + worker.ts: two
 * entry points, the esbuild recipe of docs/sharing.md). The React dashboard test needs
 * `npm run build:examples` (as `npm run test:e2e` does).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'dashwire/mock-server';
import { serveStatic, type StaticServer } from '../../examples/shared/static-server.js';
import { chromiumLaunch } from '../helpers/chromium.js';

const root = join(import.meta.dirname, '..', '..');
const patience = 15_000;

let browser: Browser;
let site: StaticServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashwire-share-'));
  await build({
    entryPoints: {
      page: join(import.meta.dirname, 'share/page.ts'),
      worker: join(import.meta.dirname, 'share/worker.ts'),
    },
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>share</title><script type="module" src="./page.js"></script>',
  );
  site = await serveStatic(dir, 0);
  browser = await chromium.launch({ ...chromiumLaunch });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Tab {
  readonly page: Page;
  seqs(): Promise<Record<string, number[]>>;
  share(): Promise<string | undefined>;
}

let server: MockServer;
let context: BrowserContext;
afterEach(async () => {
  await context?.close();
  await server?.close();
});

async function setup(): Promise<void> {
  server = await createMockServer({ protocol: 'native', feed: false, host: '127.0.0.1', port: 0, replayBuffer: 5_000 });
  context = await browser.newContext();
}

async function openTab(options: { worker: boolean; identity?: string; channels?: string[] }): Promise<Tab> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(site.url);
  await page.waitForFunction(() => 'dw' in globalThis);
  await page.evaluate((o) => (globalThis as never as { dw: { start(o: unknown): void } }).dw.start(o), {
    url: server.url,
    worker: options.worker,
    identity: options.identity,
    channels: options.channels ?? ['prices'],
  });
  return {
    page,
    seqs: () => page.evaluate(() => (globalThis as never as { dw: { seqs(): Record<string, number[]> } }).dw.seqs()),
    share: () => page.evaluate(() => (globalThis as never as { dw: { share(): string | undefined } }).dw.share()),
  };
}

const tick = (i: number) => ({ symbol: 'BTC', price: `${60000 + i}.00`, change_24h: '0.1', ts: i });
const publish = (channel: string, from: number, to: number) => {
  for (let i = from; i <= to; i++) server.publish(channel, 'price_update', tick(i));
};
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const subscribes = (channel: string) =>
  server.received.filter(
    (r) =>
      (r.json as { op?: string; channel?: string } | undefined)?.op === 'subscribe' &&
      (r.json as { channel?: string }).channel === channel,
  );

/** Polls an async predicate (the helper in test/helpers polls sync ones). */
async function until(predicate: () => Promise<boolean>, timeoutMs = patience): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('until: timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until every tab holds `count` events of `channel`; a timeout says what each tab has. */
async function everyTabHas(tabs: readonly Tab[], channel: string, count: number): Promise<void> {
  const lists = async () => (await Promise.all(tabs.map((tab) => tab.seqs()))).map((list) => list[channel] ?? []);
  try {
    await until(async () => (await lists()).every((list) => list.length >= count));
  } catch (error) {
    const have = (await lists()).map((list, i) => `tab ${i} (${list.length}): ${list.join(',')}`);
    throw new Error(`not every tab has ${count} events of ${channel}:\n${have.join('\n')}`, { cause: error });
  }
}

describe.each([
  { mode: 'SharedWorker', worker: true },
  { mode: 'leader tab', worker: false },
])('share: tabs in Chromium ($mode)', ({ worker }) => {
  it('5 pages: 1 connection, 1 subscribe per channel, every page receives every event once', async () => {
    await setup();
    const tabs: Tab[] = [];
    for (let i = 0; i < 5; i++) tabs.push(await openTab({ worker, channels: ['prices', 'trades'] }));
    await until(async () => subscribes('prices').length === 1 && subscribes('trades').length === 1);
    // Every page has attached (a tab that is not yet served shows `waiting`).
    await until(async () =>
      (await Promise.all(tabs.map((t) => t.share()))).every((s) => s !== 'waiting' && s !== undefined),
    );
    publish('prices', 1, 30);
    publish('trades', 1, 10);
    await everyTabHas(tabs, 'prices', 30);
    await everyTabHas(tabs, 'trades', 10);
    for (const tab of tabs) {
      const seqs = await tab.seqs();
      expect(seqs.prices).toEqual(range(1, 30));
      expect(seqs.trades).toEqual(range(1, 10));
    }
    expect(server.clients).toBe(1);
    expect(subscribes('prices')).toHaveLength(1);
    expect(subscribes('trades')).toHaveLength(1);
    const modes = await Promise.all(tabs.map((t) => t.share()));
    if (worker) expect(modes).toEqual(Array(5).fill('worker'));
    else expect(modes.sort()).toEqual(['follower', 'follower', 'follower', 'follower', 'leader']);
  });

  it('a page with another identity gets its own connection', async () => {
    await setup();
    const alice = [await openTab({ worker, identity: 'alice' }), await openTab({ worker, identity: 'alice' })];
    const bob = await openTab({ worker, identity: 'bob' });
    await until(async () => subscribes('prices').length === 2);
    publish('prices', 1, 5);
    await everyTabHas([...alice, bob], 'prices', 5);
    expect(server.clients).toBe(2);
    expect((await bob.seqs()).prices).toEqual(range(1, 5));
  });
});

describe('handover in Chromium', () => {
  it('closing the leader page: another page takes over, resumes with since, 0 lost, 0 duplicated', async () => {
    await setup();
    const tabs: Tab[] = [];
    for (let i = 0; i < 5; i++) tabs.push(await openTab({ worker: false }));
    await until(
      async () => (await Promise.all(tabs.map((t) => t.share()))).filter((s) => s === 'follower').length === 4,
    );
    publish('prices', 1, 20);
    await everyTabHas(tabs, 'prices', 20);
    const modes = await Promise.all(tabs.map((t) => t.share()));
    const leader = tabs[modes.indexOf('leader')]!;
    const survivors = tabs.filter((t) => t !== leader);
    const closedAt = Date.now();
    await leader.page.close();
    publish('prices', 21, 40); // while nobody may be leading
    await until(async () => subscribes('prices').length === 2);
    const handoverMs = Date.now() - closedAt;
    publish('prices', 41, 60);
    await everyTabHas(survivors, 'prices', 60);
    const deliveredMs = Date.now() - closedAt;
    for (const tab of survivors) expect((await tab.seqs()).prices).toEqual(range(1, 60));
    // The new leader resumes from the last seq it had: 20, or later when the closing leader's
    // socket still delivered some of 21…40 before it went (a race the exact lists above cover).
    const since = subscribes('prices').map((r) => (r.json as { since?: number }).since);
    expect(since).toHaveLength(2);
    expect(since[0]).toBeUndefined();
    expect(since[1]).toBeGreaterThanOrEqual(20);
    expect(since[1]).toBeLessThanOrEqual(40);
    await until(async () => server.clients === 1);
    console.log(
      `[share e2e] leader closed → new subscribe after ${handoverMs} ms; all 60 events in 4 pages after ${deliveredMs} ms`,
    );
  });

  it('the shared worker dies: pages start the next one, which resumes with since, 0 lost, 0 duplicated', async () => {
    await setup();
    const tabs: Tab[] = [];
    for (let i = 0; i < 3; i++) tabs.push(await openTab({ worker: true }));
    await until(async () => (await Promise.all(tabs.map((t) => t.share()))).every((s) => s === 'worker'));
    publish('prices', 1, 20);
    await everyTabHas(tabs, 'prices', 20);
    const killedAt = Date.now();
    await tabs[0]!.page.evaluate(() => {
      const worker = new SharedWorker(new URL('./worker.js', location.href), { type: 'module', name: 'dashwire' });
      worker.port.postMessage({ t: 'die' });
    });
    await until(async () => server.clients === 0 || subscribes('prices').length === 2);
    publish('prices', 21, 40);
    await until(async () => subscribes('prices').length === 2);
    const handoverMs = Date.now() - killedAt;
    await everyTabHas(tabs, 'prices', 40);
    for (const tab of tabs) expect((await tab.seqs()).prices).toEqual(range(1, 40));
    expect(subscribes('prices').map((r) => (r.json as { since?: number }).since)).toEqual([undefined, 20]);
    expect(await Promise.all(tabs.map((t) => t.share()))).toEqual(['worker', 'worker', 'worker']);
    await until(async () => server.clients === 1);
    console.log(`[share e2e] worker terminated → new worker subscribed after ${handoverMs} ms`);
  });
});

describe('React example dashboard', () => {
  const built = join(root, 'examples/react-dashboard/dist/index.html');
  it.skipIf(!existsSync(built)).each(['tabs', 'worker'])(
    '3 tabs with ?share=%s → 1 connection, events in every tab',
    async (share) => {
      server = await createMockServer({ protocol: 'ares', port: 0, feed: { rate: 20 } });
      context = await browser.newContext();
      const dashboard = await serveStatic(join(root, 'examples/react-dashboard/dist'), 0);
      try {
        const pages: Page[] = [];
        for (let i = 0; i < 3; i++) {
          const page = await context.newPage();
          await page.goto(`${dashboard.url}?share=${share}&ws=${server.url}`);
          pages.push(page);
        }
        for (const page of pages) {
          await page.locator('#signals .event-item').first().waitFor({ timeout: patience });
        }
        // StrictMode mounts the provider twice: a first client may lead for a moment, then hand over.
        await until(async () => server.clients === 1);
        expect(server.listClients()).toHaveLength(1);
      } finally {
        await dashboard.close();
      }
    },
  );
});
