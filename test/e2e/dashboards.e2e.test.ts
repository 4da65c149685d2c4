/**
 * Both example dashboards (examples/browser-dashboard, examples/react-dashboard) in headless
 * Chromium against the ARES mock server: events show up in the four panels and the P&L
 * summary, and the indicator follows the connection through an outage. Assertions read what
 * a user sees (panel text, indicator text and class) and poll with generous timeouts.
 *
 * Run with `npm run test:e2e` (builds dist/ and the examples first). Screenshots go to
 * test/e2e/__screenshots__/ (gitignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'dashwire/mock-server';
import { serveStatic, type StaticServer } from '../../examples/shared/static-server.js';
import { chromiumLaunch } from '../helpers/chromium.js';

const root = join(import.meta.dirname, '..', '..');
const screenshots = join(import.meta.dirname, '__screenshots__');
/** Generous: two shared cores, a cold browser, backoff after an outage. */
const patience = { timeout: 30_000, interval: 100 };

const dashboards = [
  { name: 'browser', dir: 'examples/browser-dashboard' },
  { name: 'react', dir: 'examples/react-dashboard/dist' },
] as const;

let browser: Browser;

beforeAll(async () => {
  for (const { dir } of dashboards) {
    if (!existsSync(join(root, dir, 'index.html')) || !existsSync(join(root, 'dist/index.js'))) {
      throw new Error(`${dir} is not built: run \`npm run test:e2e\` (or \`npm run build:examples\` first)`);
    }
  }
  mkdirSync(screenshots, { recursive: true });
  browser = await chromium.launch({ ...chromiumLaunch });
});

afterAll(async () => {
  await browser?.close();
});

const text = (page: Page, selector: string): Promise<string> => page.locator(selector).first().innerText();
const count = (page: Page, selector: string): Promise<number> => page.locator(selector).count();
const indicator = (page: Page) =>
  page.locator('#connection').evaluate((el) => ({ text: el.textContent?.trim() ?? '', className: el.className }));

describe.each(dashboards)('$name dashboard', ({ name, dir }) => {
  let server: MockServer;
  let site: StaticServer;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await createMockServer({ protocol: 'ares', port: 0, feed: { rate: 20 } });
    site = await serveStatic(join(root, dir), 0);
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${site.url}?ws=${server.url}`);
  });

  afterAll(async () => {
    await page?.close();
    await site?.close();
    await server?.close();
  });

  it('connects to the URL given in ?ws= and says so', async () => {
    await expect
      .poll(() => indicator(page), patience)
      .toEqual({ text: 'Connected to ARES', className: 'connection-status status-connected' });
    expect(await text(page, '#feedUrl')).toBe(server.url);
  });

  it('renders signals, trades, metrics and alerts, and the live P&L summary', async () => {
    for (const panel of ['signals', 'trades', 'metrics', 'alerts']) {
      await expect.poll(() => count(page, `#${panel} .event-item`), patience).toBeGreaterThan(0);
    }
    expect(await text(page, '#signals .event-item')).toMatch(
      /Strategy: \w+[\s\S]*Price: \$[\d.]+[\s\S]*Confidence: [\d.]+%/,
    );
    expect(await text(page, '#metrics .event-item')).toMatch(/METRICS UPDATE[\s\S]*Win Rate: [\d.]+%/);
    expect(await text(page, '#alerts .event-item')).toMatch(/ALERT[\s\S]*Source: \w+/);
    // A trade counts in the summary once it is closed (seed 001's rule).
    await expect.poll(async () => Number(await text(page, '#totalTrades')), patience).toBeGreaterThan(0);
    expect(await text(page, '#winRate')).toMatch(/^\d+\.\d{2}%$/);
    expect(await text(page, '#totalPnL')).toMatch(/^-?\$\d+\.\d{2}$/);
    expect(await text(page, '#activePositions')).toMatch(/^\d+$/);
  });

  it('shows an event exactly as published, newest first, and keeps at most 50 per panel', async () => {
    server.setFeed(false); // only our events from here on, so "newest" is ours
    server.publish('signals', 'signal', {
      strategy_name: 'E2E_Probe',
      action: 'SELL',
      price: 42350.5,
      confidence: 0.85,
    });
    await expect.poll(() => text(page, '#signals .event-item'), patience).toContain('Strategy: E2E_Probe');
    const card = await text(page, '#signals .event-item');
    expect(card).toContain('SELL');
    expect(card).toContain('Price: $42350.50');
    expect(card).toContain('Confidence: 85.0%');
    for (let i = 0; i < 60; i++)
      server.publish('alerts', 'alert', { strategy_name: `Burst_${i}`, message: `burst alert ${i}` });
    await expect.poll(() => text(page, '#alerts .event-item'), patience).toContain('burst alert 59');
    expect(await count(page, '#alerts .event-item')).toBe(50);
    expect(await text(page, '#alerts .count')).toBe('50');
    await page.screenshot({ path: join(screenshots, `${name}-connected.png`), fullPage: true });
    server.setFeed({ rate: 20 });
  });

  it('greys out the summary with its age when the feed pauses, and shows it fresh again when it resumes (#16)', async () => {
    const stale = () => page.locator('#summary').getAttribute('data-stale');
    const age = async () => Number(/(\d+) s ago/.exec(await text(page, '#summaryAge'))?.[1] ?? NaN);
    await expect.poll(stale, patience).toBe('false');
    server.setFeed(false);
    // Stale after the channel's threshold (the 5 s floor at this cadence), and the age counts on.
    await expect.poll(stale, patience).toBe('true');
    const first = await age();
    expect(first).toBeGreaterThanOrEqual(4);
    await expect.poll(age, patience).toBeGreaterThan(first);
    expect(await page.locator('#totalTrades').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(154, 160, 166)');
    await page.screenshot({ path: join(screenshots, `${name}-stale.png`), fullPage: true });
    server.setFeed({ rate: 20 });
    await expect.poll(stale, patience).toBe('false');
    await expect.poll(age, patience).toBeLessThan(3);
  });

  it('turns the indicator to disconnected while the server is down, and back after the reconnect', async () => {
    // Refuse upgrades first so the drop is not healed by an immediate reconnect.
    server.faults.refuse(5_000);
    server.faults.dropAll();
    await expect
      .poll(() => indicator(page), patience)
      .toEqual({
        text: 'Disconnected - Reconnecting…',
        className: 'connection-status status-disconnected',
      });
    await page.screenshot({ path: join(screenshots, `${name}-disconnected.png`), fullPage: true });
    await expect
      .poll(() => indicator(page), patience)
      .toEqual({ text: 'Connected to ARES', className: 'connection-status status-connected' });
    // Live again: a new event reaches the page.
    server.publish('signals', 'signal', {
      strategy_name: 'After_Reconnect',
      action: 'BUY',
      price: 100,
      confidence: 0.5,
    });
    await expect.poll(() => page.locator('#signals').innerText(), patience).toContain('Strategy: After_Reconnect');
    await page.screenshot({ path: join(screenshots, `${name}-reconnected.png`), fullPage: true });
    expect(errors).toEqual([]);
  });
});
