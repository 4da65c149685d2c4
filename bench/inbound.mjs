// Inbound pipeline benchmark orchestrator. For each run and each variant: a server process
// and a separate client process (never more than one pair at a time), on 127.0.0.1.
// Each client's CPU µs/message is divided by its own JSON.parse cost (mean of before/after);
// "× floor" divides that by the same run's floor (raw ws + JSON.parse + switch).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function inboundVariants(hasPresets) {
  const presets = hasPresets
    ? ['cryptoPortfolio', 'ares', 'channelFeed', 'agentTracker', 'sentio'].map((p) => `preset:${p}`)
    : [];
  return [
    'floor',
    'floor-zod',
    'floor-zod-compiled',
    'native',
    'native-runtime',
    'own',
    ...presets,
    'phoenix',
    'centrifuge',
    'socketio',
    'partysocket',
  ];
}

function runPair(kind, n, pace) {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [join(here, 'inbound-server.mjs'), kind, String(n), pace], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /PORT (\d+)/.exec(out);
      if (!m || server.clientStarted) return;
      server.clientStarted = true;
      const client = spawn(process.execPath, [join(here, 'inbound-client.mjs'), kind, m[1], String(n)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let cout = '';
      client.stdout.on('data', (c) => (cout += c));
      client.on('exit', (code) => {
        server.kill();
        const line = cout.trim().split('\n').pop();
        try {
          const result = JSON.parse(line);
          if (code !== 0 || result.error) reject(new Error(`${kind}: ${result.error ?? `exit ${code}`}`));
          else resolve(result);
        } catch {
          reject(new Error(`${kind}: client printed ${JSON.stringify(cout)}`));
        }
      });
    });
    server.on('exit', (code) => {
      if (!server.clientStarted) reject(new Error(`${kind}: server exited ${code} before listening`));
    });
  });
}

/** A variant's server and client, kept alive for the whole interleaved run (IPC to both). */
function startPair(kind, chunk, total, pace) {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [join(here, 'inbound-server.mjs'), kind, String(total), pace], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    let client;
    server.stdout.on('data', (data) => {
      out += data;
      const m = /PORT (\d+)/.exec(out);
      if (!m || client) return;
      client = spawn(process.execPath, [join(here, 'inbound-client.mjs'), kind, m[1], String(chunk)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      client.on('exit', (code) => code && reject(new Error(`${kind}: client exited ${code}`)));
    });
    server.once('message', () => resolve({ kind, server, client })); // 'ready': the client joined
    server.on('exit', (code) => code && reject(new Error(`${kind}: server exited ${code}`)));
  });
}

/**
 * The same comparison with the variants interleaved in time, for a machine whose speed changes
 * from second to second: every variant's server and client stay up, and each round sends one
 * chunk of frames to each variant in turn. A round's ratios compare variants measured seconds
 * apart, not minutes. Round 0 warms up and is left out. Per variant: the median and min–max of
 * its per-round × floor (CPU ÷ JSON.parse measured after the chunk, ÷ the round's floor); its
 * median CPU per message ÷ the floor's; and its least-disturbed chunk ÷ the floor's (minimum CPU
 * per message over the rounds, of each).
 */
export async function runInterleaved({ chunk = 20_000, rounds = 15, variants, pace = '100:1', log = console.log }) {
  const pairs = [];
  try {
    for (const kind of variants) pairs.push(await startPair(kind, chunk, chunk * (rounds + 1), pace));
    const perRound = [];
    for (let r = 0; r <= rounds; r++) {
      const results = {};
      for (const { kind, server, client } of pairs) {
        const reply = new Promise((resolve) => client.once('message', resolve));
        server.send({ from: r * chunk, to: (r + 1) * chunk });
        const res = await reply;
        results[kind] = { ...res, norm: res.cpuUsPerMsg / res.json };
      }
      if (r === 0) continue;
      for (const kind of variants) results[kind].xFloor = results[kind].norm / results.floor.norm;
      perRound.push(results);
      log(`  round ${r}/${rounds}: ` + variants.map((k) => `${k} ${results[k].xFloor.toFixed(2)}×`).join(', '));
    }
    const cpu = (kind) => perRound.map((r) => r[kind].cpuUsPerMsg);
    const table = variants.map((kind) => {
      const xs = perRound.map((r) => r[kind].xFloor);
      return {
        kind,
        median: median(xs),
        min: Math.min(...xs),
        max: Math.max(...xs),
        usMedian: median(cpu(kind)),
        // Raw CPU, not normalised: the variants of a round ran seconds apart.
        medianRatio: median(cpu(kind)) / median(cpu('floor')),
        best: Math.min(...cpu(kind)) / Math.min(...cpu('floor')),
      };
    });
    return { chunk, rounds, table };
  } finally {
    for (const { server, client } of pairs) {
      client?.kill();
      server.kill();
    }
  }
}

/** The rows `console.table` prints for {@link runInbound}'s table. */
export const inboundRows = (table) =>
  table.map((t) => ({
    variant: t.kind,
    'median × floor': t.median.toFixed(2),
    'min–max': `${t.min.toFixed(2)}–${t.max.toFixed(2)}`,
    'µs/msg (median)': t.usMedian.toFixed(2),
    '× JSON.parse': t.jsonMedian.toFixed(2),
  }));

/** The rows `console.table` prints for {@link runInterleaved}'s table. */
export const interleavedRows = (table) =>
  table.map((t) => ({
    variant: t.kind,
    'median µs ÷ floor': t.medianRatio.toFixed(2),
    'min µs ÷ floor': t.best.toFixed(2),
    'median × floor (÷ JSON.parse)': t.median.toFixed(2),
    'min–max': `${t.min.toFixed(2)}–${t.max.toFixed(2)}`,
  }));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function runInbound({ n = 200_000, runs = 5, variants, pace = '100:1', log = console.log }) {
  const perRun = [];
  for (let r = 0; r < runs; r++) {
    const results = {};
    for (const kind of variants) {
      const res = await runPair(kind, n, pace);
      res.norm = res.cpuUsPerMsg / ((res.jsonBefore + res.jsonAfter) / 2);
      results[kind] = res;
    }
    for (const kind of variants) results[kind].xFloor = results[kind].norm / results.floor.norm;
    perRun.push(results);
    log(`  run ${r + 1}/${runs}: ` + variants.map((k) => `${k} ${results[k].xFloor.toFixed(2)}×`).join(', '));
  }
  const table = variants.map((kind) => {
    const xs = perRun.map((r) => r[kind].xFloor);
    const us = perRun.map((r) => r[kind].cpuUsPerMsg);
    const js = perRun.map((r) => r[kind].norm);
    return {
      kind,
      median: median(xs),
      min: Math.min(...xs),
      max: Math.max(...xs),
      usMedian: median(us),
      jsonMedian: median(js),
      stats: perRun[0][kind].stats,
    };
  });
  return { n, runs, table, jsonParseUs: median(perRun.map((r) => r.floor.jsonBefore)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { buildDashwire } = await import('./build-dashwire.mjs');
  const { hasPresets } = await buildDashwire();
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
  const variants = args.only
    ? ['floor', ...args.only.split(',').filter((v) => v !== 'floor')]
    : inboundVariants(hasPresets && existsSync(join(here, '../src/backends/presets.ts')));
  if (args.interleave !== undefined) {
    const [chunk, rounds] = (args.interleave || '20000:15').split(':').map(Number);
    const res = await runInterleaved({ chunk, rounds, pace: args.pace ?? '100:1', variants });
    console.table(interleavedRows(res.table));
    process.exit(0);
  }
  const res = await runInbound({
    n: Number(args.n ?? 200_000),
    runs: Number(args.runs ?? 5),
    pace: args.pace ?? '100:1',
    variants,
  });
  console.table(inboundRows(res.table));
}
