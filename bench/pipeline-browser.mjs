// The receive path in Chromium, where dashboards run: Debian's Chromium (headless, through
// playwright, nothing downloaded) loads a page with dashwire and zod bundled for the browser.
// 1. Batches: the loops of bench/receive-loops.mjs, batches interleaved, wall time
//    (performance.now), as bench/pipeline-interleaved.mjs does in Node.
// 2. One message per task, as a browser hands WebSocket messages over: each frame arrives in its
//    own MessageChannel task; rounds of the floor and of dashwire take turns. A task costs the
//    same for both, so the difference is what dashwire adds to a message in that regime.
// Usage: node bench/pipeline-browser.mjs [batch=20000] [batches=30] [perTaskRound=10000]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { cacheDir } from './build-dashwire.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const B = Number(process.argv[2] ?? 20_000);
const K = Number(process.argv[3] ?? 30);
const R = Number(process.argv[4] ?? 10_000);
const rounds = 10;
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.log(`pipeline-browser: no Chromium at ${executablePath} (set CHROMIUM_PATH); skipped`);
  process.exit(0);
}

const page = `
import { createClient, native, dashboardEvents } from ${JSON.stringify(join(root, 'src/index.ts'))};
import { compile } from 'zod';
import { directClient } from ${JSON.stringify(join(here, 'direct-client.mjs'))};
import { nativeFrames, types } from ${JSON.stringify(join(here, 'frames.mjs'))};
import { interleave, receiveLoops, summarize } from ${JSON.stringify(join(here, 'receive-loops.mjs'))};
let sink = 0;
const onEvent = (d) => (sink += d.ts);
const compiled = Object.fromEntries(Object.entries(dashboardEvents).map(([t, s]) => [t, compile(s)]));
/** Frames [from, to) through loop(i, i + 1), one MessageChannel task each; resolves to µs per frame. */
const inTasks = (loop, from, to) =>
  new Promise((resolve) => {
    const channel = new MessageChannel();
    let i = from;
    const started = performance.now();
    channel.port1.onmessage = () => {
      loop(i, i + 1);
      if (++i < to) return channel.port2.postMessage(0);
      channel.port1.close();
      resolve(((performance.now() - started) * 1000) / (to - from));
    };
    channel.port2.postMessage(0);
  });
globalThis.runBench = async (B, K, R, rounds) => {
  const batchClient = await directClient(createClient, { protocol: native() }, onEvent);
  const batchLoops = receiveLoops({ frames: nativeFrames(B * K), compiled, types, dashwire: batchClient, onEvent });
  const batches = summarize(interleave(batchLoops, B, K, () => performance.now() * 1000));
  const taskClient = await directClient(createClient, { protocol: native() }, onEvent);
  const taskLoops = receiveLoops({ frames: nativeFrames(R * rounds), compiled, types, dashwire: taskClient, onEvent });
  const perTask = { floor: [], dashwire: [] };
  for (let r = 0; r < rounds; r++) {
    for (const name of ['floor', 'dashwire']) perTask[name].push(await inTasks(taskLoops[name], r * R, (r + 1) * R));
  }
  const received = [batchClient, taskClient].map((d) => d.client.stats().received);
  return { batches, perTask: summarize(perTask), received, sink };
};
`;
mkdirSync(cacheDir, { recursive: true });
const entry = join(cacheDir, 'browser-entry.mjs');
writeFileSync(entry, page);
const bundle = await build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
});
// The flags of test/helpers/chromium.ts: headless as root, and no calls out to the network.
const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const tab = await browser.newPage();
  await tab.setContent('<!doctype html><title>dashwire bench</title>');
  await tab.addScriptTag({ content: bundle.outputFiles[0].text, type: 'module' });
  await tab.waitForFunction(() => typeof globalThis.runBench === 'function');
  const res = await tab.evaluate(([b, k, r, n]) => globalThis.runBench(b, k, r, n), [B, K, R, rounds]);
  if (res.received[0] !== B * K || res.received[1] !== R * rounds)
    throw new Error(`dashwire received ${res.received.join(', ')} of ${B * K}, ${R * rounds}`);
  const version = browser.version();
  console.log(`Chromium ${version}: batches of ${B} frames × ${K}, wall µs per frame (min, median over batches)`);
  const floor = res.batches.floor.min;
  for (const [name, { min, median }] of Object.entries(res.batches))
    console.log(
      `  ${name.padEnd(12)} min ${min.toFixed(3)}  median ${median.toFixed(3)}  (${(min / floor).toFixed(2)}× floor)`,
    );
  const own = res.batches.dashwire.min - res.batches.zodCompiled.min;
  console.log(`  dashwire own share (min): ${own.toFixed(3)} µs = ${(own / floor).toFixed(2)}× the floor loop`);
  const { floor: tf, dashwire: td } = res.perTask;
  console.log(`One message per task (${rounds} rounds of ${R}, each its own MessageChannel task), µs per message:`);
  console.log(
    `  floor min ${tf.min.toFixed(2)} median ${tf.median.toFixed(2)}; dashwire min ${td.min.toFixed(2)} median ${td.median.toFixed(2)}`,
  );
  console.log(
    `  dashwire adds ${(td.median - tf.median).toFixed(2)} µs a message (medians), ${(td.min - tf.min).toFixed(2)} (minimums)`,
  );
} finally {
  await browser.close();
}
