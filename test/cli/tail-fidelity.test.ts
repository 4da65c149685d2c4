/**
 * `dashwire tail --json` against each preset's mock server, with and without `--channel`:
 * every message type the server sends is printed (types outside the preset's named channels
 * too), with the fields no schema declares, and injected junk is flagged as `invalid` or
 * `unknown`, never dropped.
 */
import { describe, expect, it } from 'vitest';
import { run, type CliIO } from '../../src/cli/run.js';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { goTime, naiveIso } from '../../src/backends/shared-dialect.js';
import { useCleanup } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';

const track = useCleanup();
type Line = { kind: string; type?: string; channel?: string | null; reason?: string; data?: Record<string, unknown> };

function tail(argv: string[]) {
  const controller = new AbortController();
  const out: string[] = [];
  const io: CliIO = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: () => {} },
    signal: controller.signal,
  };
  const done = run(['tail', ...argv, '--json'], io);
  const lines = (): Line[] =>
    out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  return { done, lines, events: () => lines().filter((l) => l.kind === 'event'), stop: () => controller.abort() };
}

const has = (data: unknown, path: string[]): boolean => {
  let at: unknown = data;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !(key in at)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
};

/**
 * Per preset: the types its mock sends (as tail prints them), undeclared ones (`unknown`), a
 * field path no schema declares that every event of a type carries, junk in the wire shape,
 * and the `--channel` run.
 */
const cases: {
  name: string;
  types: string[];
  unknownTypes?: string[];
  extras: Record<string, string[]>;
  junk: { unknown: object; wrong: object };
  channel: string;
  channelTypes: string[];
  url?: (s: MockServer) => string;
}[] = [
  {
    name: 'cryptoPortfolio',
    types: [
      'price_update',
      'trade_executed',
      'trim_executed',
      'benchmark_triggered',
      'portfolio_update',
      'conversion_completed',
    ],
    extras: Object.fromEntries(
      [
        'price_update',
        'trade_executed',
        'trim_executed',
        'benchmark_triggered',
        'portfolio_update',
        'conversion_completed',
      ].map((t) => [t, ['source', 'service']]),
    ),
    junk: {
      unknown: { type: 'funding_rate', timestamp: 1 },
      wrong: { type: 'price_update', asset: 'SOL', blockchain: 'Solana', price: 1.5, change_24h: '1', timestamp: 1 },
    },
    channel: 'prices',
    channelTypes: ['price_update', 'trade_executed', 'portfolio_update'],
  },
  {
    name: 'ares',
    types: ['connected', 'signal', 'trade', 'trade_closed', 'metrics', 'alert'],
    extras: Object.fromEntries(
      ['signal', 'trade', 'trade_closed', 'metrics', 'alert'].map((t) => [t, ['data', 'context', 'timeframe']]),
    ),
    junk: {
      unknown: { type: 'strategy_rollback', timestamp: goTime(0), data: {} },
      wrong: {
        type: 'signal',
        timestamp: goTime(0),
        data: { strategy_name: 'x', action: 'BUY', price: '1', confidence: 1 },
      },
    },
    channel: 'alerts',
    channelTypes: ['connected', 'signal', 'alert'],
  },
  {
    name: 'channelFeed',
    types: ['dashboard_update', 'trades_update', 'positions_update', 'performance_update', 'alerts_update'],
    extras: { dashboard_update: ['data', 'risk', 'leverage'], trades_update: ['sequence'] },
    junk: {
      unknown: { type: 'news_update', data: {}, timestamp: naiveIso(0) },
      wrong: { type: 'dashboard_update', data: { total_value: 1 }, timestamp: naiveIso(0) },
    },
    channel: 'dashboard',
    channelTypes: ['dashboard_update'],
  },
  {
    name: 'agentTracker',
    types: ['connection', 'agentUpdate', 'taskUpdate', 'portfolioUpdate'],
    unknownTypes: ['systemNotice'],
    extras: {
      agentUpdate: ['data', 'lastUpdated'],
      taskUpdate: ['data', 'createdAt'],
      portfolioUpdate: ['data', 'breakdown', 'sol'],
    },
    junk: {
      unknown: { type: 'riskAlert', data: {}, timestamp: new Date(0).toISOString() },
      wrong: { type: 'taskUpdate', data: { agentId: 42 }, timestamp: new Date(0).toISOString() },
    },
    channel: 'agents',
    channelTypes: ['connection', 'agentUpdate', 'taskUpdate', 'portfolioUpdate'],
  },
  {
    name: 'sentio',
    types: ['trade_signals', 'earnings', 'notification', 'admin_update', 'market_data'],
    extras: {
      earnings: ['data', 'by_asset', 'AAPL'],
      notification: ['data', 'priority'],
      market_data: ['data', 'quote', 'bid'],
    },
    junk: {
      unknown: { type: 'chat_message', data: {}, timestamp: naiveIso(0) },
      wrong: { type: 'earnings', data: { portfolio_value: '1', daily_pnl: 1 }, timestamp: naiveIso(0) },
    },
    channel: 'admin',
    channelTypes: ['admin_update'],
    url: (s) => s.httpUrl.replace('http', 'ws'),
  },
];

describe('dashwire tail --json prints everything the server sends', () => {
  describe.each(cases)('$name', (c) => {
    async function tailAgainstMock(extra: string[], types: string[], unknownTypes: string[] = []) {
      const server = track(await createMockServer({ protocol: c.name, port: 0, feed: { rate: 300 } }));
      const t = tail([c.url ? c.url(server) : server.url, '--preset', c.name, ...extra]);
      track({ close: () => (t.stop(), t.done) });
      await waitFor(
        () =>
          types.every((type) => t.events().some((l) => l.type === type)) &&
          unknownTypes.every((type) => t.lines().some((l) => l.kind === 'unknown' && l.type === type)),
        10_000,
      );
      server.setFeed(false);
      server.faults.sendRaw('{"type":');
      server.faults.sendRaw(JSON.stringify(c.junk.unknown));
      server.faults.sendRaw(JSON.stringify(c.junk.wrong));
      const junkType = (c.junk.unknown as { type: string }).type;
      await waitFor(
        () =>
          t.lines().some((l) => l.kind === 'unknown' && l.type === junkType) &&
          t.lines().filter((l) => l.kind === 'invalid').length >= 2,
        5_000,
      );
      t.stop();
      expect(await t.done).toBe(0);
      return t.lines();
    }

    it('without --channel: every type, extra fields included; junk flagged', async () => {
      const lines = await tailAgainstMock([], c.types, c.unknownTypes);
      const events = lines.filter((l) => l.kind === 'event');
      for (const type of c.types)
        expect(
          events.some((l) => l.type === type),
          type,
        ).toBe(true);
      for (const [type, path] of Object.entries(c.extras)) {
        const ofType = events.filter((l) => l.type === type);
        expect(ofType.length, type).toBeGreaterThan(0);
        for (const l of ofType) expect(has(l, path) || has(l.data, path), `${type} ${path.join('.')}`).toBe(true);
      }
      for (const type of c.unknownTypes ?? [])
        expect(
          lines.some((l) => l.kind === 'unknown' && l.type === type),
          type,
        ).toBe(true);
      const invalid = lines.filter((l) => l.kind === 'invalid');
      expect(invalid.map((l) => l.reason)).toEqual(expect.arrayContaining(['malformed', 'schema']));
      expect(invalid.find((l) => l.reason === 'schema')?.type).toBe((c.junk.wrong as { type: string }).type);
    });

    it(`with --channel ${c.channel}: every type the server sends on it, junk flagged`, async () => {
      const lines = await tailAgainstMock(['--channel', c.channel], c.channelTypes);
      const events = lines.filter((l) => l.kind === 'event');
      for (const type of c.channelTypes)
        expect(
          events.some((l) => l.type === type),
          type,
        ).toBe(true);
      expect(lines.filter((l) => l.kind === 'invalid').map((l) => l.reason)).toEqual(
        expect.arrayContaining(['malformed', 'schema']),
      );
    });
  });
});
