/**
 * #16 part 3 in real Chromium: a native dashboard page survives a frozen page (CDP
 * `Page.setWebLifecycleState`), going offline and online (`context.setOffline`) and a clock
 * jump (`page.clock`), each time `open` and fresh again within the documented bound
 * (docs/reliability.md §10: the probe deadline, 3 s, plus a reconnect delay) with every seq of
 * the channel delivered exactly once, in order.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'dashwire/mock-server';
import { serveStatic, type StaticServer } from '../../examples/shared/static-server.js';
import { chromiumLaunch } from '../helpers/chromium.js';

const root = join(import.meta.dirname, '..', '..');
/** The documented bound (3 s probe + a reconnect delay of at most 1 s) with slack for 2 shared cores. */
const bound = { timeout: 8_000, interval: 50 };

let browser: Browser;
let site: StaticServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dashwire-lifecycle-'));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(import.meta.dirname, 'lifecycle-page/main.ts')],
    outfile: join(dir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    alias: { dashwire: join(root, 'dist/index.js') },
    logLevel: 'warning',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>lifecycle</title><script type="module" src="main.js"></script>',
  );
  site = await serveStatic(dir, 0);
  browser = await chromium.launch({ ...chromiumLaunch });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('a native page in Chromium never goes dead (#16)', () => {
  let server: MockServer;
  let context: BrowserContext;
  let page: Page;

  beforeEach(async () => {
    server = await createMockServer({ protocol: 'native', port: 0, feed: false, replayBuffer: 5_000 });
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
    await server?.close();
  });

  const probe = <T>(expression: string): Promise<T> => page.evaluate<T>(expression);
  const open = async () => {
    await page.goto(`${site.url}?ws=${server.url}`);
    await expect.poll(() => probe<string>('window.dashwireProbe?.state()'), bound).toBe('open');
    // Subscribed once the server counts the subscription.
    await expect.poll(() => server.clients, bound).toBe(1);
  };
  let published = 0;
  const publish = (n: number) => {
    for (let i = 0; i < n; i++)
      server.publish('prices', 'price_update', {
        symbol: 'SOL',
        price: `${100 + published++}.00`,
        change_24h: '0.1',
        ts: published,
      });
  };
  /** Every seq 1…lastSeq delivered exactly once, in order. */
  const nothingLost = async () => {
    const last = server.lastSeq('prices');
    await expect
      .poll(() => probe<number[]>('window.dashwireProbe.seqs.slice()'), bound)
      .toEqual(Array.from({ length: last }, (_, i) => i + 1));
  };
  const openAndFresh = async () => {
    await expect.poll(() => probe<string>('window.dashwireProbe.state()'), bound).toBe('open');
    publish(1); // data flows again
    await expect.poll(() => probe<boolean>('window.dashwireProbe.stale()'), bound).toBe(false);
  };

  beforeEach(() => {
    published = 0;
  });

  it('freeze and resume (CDP Page.setWebLifecycleState), the link dropped while frozen', async () => {
    await open();
    publish(3);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    publish(5);
    server.faults.dropAll();
    publish(5);
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await openAndFresh();
    await nothingLost();
  });

  it('offline and online (context.setOffline)', async () => {
    await open();
    publish(3);
    await context.setOffline(true);
    await expect.poll(() => probe<boolean>('navigator.onLine'), bound).toBe(false);
    publish(5);
    server.faults.dropAll();
    publish(5);
    await context.setOffline(false);
    await openAndFresh();
    await nothingLost();
  });

  it('the clock jumps an hour ahead (page.clock): the late tick verifies the live link at once, nothing lost', async () => {
    await page.clock.install();
    await open();
    publish(3);
    const pings = () => server.received.filter((r) => (r.json as { op?: string } | undefined)?.op === 'ping').length;
    const before = pings();
    await page.clock.fastForward('01:00:00'); // every timer is an hour late: a wake
    await expect.poll(pings, bound).toBeGreaterThan(before); // verified at once (the heartbeat interval is 15 s)
    publish(5);
    await openAndFresh();
    await nothingLost();
    // The live link answered the wake's ping: it was kept, not replaced.
    expect(await probe<string[]>('window.dashwireProbe.states.slice()')).toEqual(['connecting', 'open']);
  });
});
