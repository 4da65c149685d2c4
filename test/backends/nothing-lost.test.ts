/**
 * Nothing vanishes: over each preset's mock feed plus injected junk, every item a connection
 * receives ends as exactly one of a typed event, `invalid`, `unknown` or a protocol item, so
 * `received + invalid + unknown + protocol` equals the items that arrived. `client.on(type)`
 * gets every valid event whatever the subscriptions' client-side filters say; a subscription
 * handle gets what its filter matches.
 */
import { describe, expect, it } from 'vitest';
import { createClient, presets, type Client, type EventCatalog, type Protocol } from '../../src/index.js';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { goTime, naiveIso } from '../../src/backends/shared-dialect.js';
import { useCleanup } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';
import { countingTransport, observe } from './fidelity-harness.js';

const track = useCleanup();
const big = JSON.stringify({ type: 'blob', data: 'x'.repeat(1_100_000) });

/** Per preset: an unknown type and a wrong-typed field, each in the backend's own wire shape. */
const junk: Record<
  string,
  { unknown: object; wrong: object; url?: (s: MockServer) => string; params?: Record<string, unknown> }
> = {
  cryptoPortfolio: {
    unknown: { type: 'funding_rate', asset: 'SOL', rate: '0.0001', timestamp: 1 },
    wrong: { type: 'price_update', asset: 'SOL', blockchain: 'Solana', price: 100.5, change_24h: '1.0', timestamp: 1 },
  },
  ares: {
    unknown: { type: 'strategy_rollback', timestamp: goTime(0), data: { version: 3 } },
    wrong: {
      type: 'signal',
      timestamp: goTime(0),
      data: { strategy_name: 'RSI_Oversold', action: 'BUY', price: '1.0', confidence: 0.8 },
    },
  },
  channelFeed: {
    unknown: { type: 'news_update', data: { headline: 'x' }, timestamp: naiveIso(0) },
    wrong: {
      type: 'dashboard_update',
      data: { total_value: 1, daily_pnl: '$1.00', open_positions: 1, win_rate: '50%' },
      timestamp: naiveIso(0),
    },
  },
  agentTracker: {
    unknown: { type: 'riskAlert', data: { level: 'high' }, timestamp: new Date(0).toISOString() },
    wrong: { type: 'taskUpdate', data: { id: 't', agentId: 42 }, timestamp: new Date(0).toISOString() },
  },
  sentio: {
    unknown: { type: 'chat_message', data: { text: 'hi' }, timestamp: naiveIso(0) },
    wrong: { type: 'earnings', data: { portfolio_value: '1.00', daily_pnl: 1 }, timestamp: naiveIso(0) },
    url: (s) => s.httpUrl.replace('http', 'ws'),
    params: { symbols: ['AAPL', 'GOOGL', 'MSFT', 'TSLA'], user_id: 'user_001' },
  },
};

describe('nothing vanishes: every item is counted once', () => {
  it.each(Object.keys(junk))('%s: mock feed + malformed, unknown, wrong-typed and oversize frames', async (name) => {
    const spec = junk[name]!;
    const server = track(await createMockServer({ protocol: name, port: 0, feed: false }));
    const protocol = (presets[name as keyof typeof presets] as () => Protocol)();
    const counting = countingTransport(protocol);
    const client: Client<EventCatalog> = track(
      createClient<EventCatalog>({
        url: spec.url ? spec.url(server) : server.url,
        protocol,
        transport: counting.transport,
        heartbeat: { intervalMs: 0, timeoutMs: 1_000 },
      }),
    );
    const seen = observe(client, protocol);
    // Subscribe to the first named channel only: its filter must not hide the other types from client.on.
    const channels = protocol.channels ?? [];
    const serverSide = protocol.matches === undefined || name === 'sentio';
    const picked = serverSide ? channels : channels.slice(0, 1);
    const viaHandle = new Set<string>();
    for (const channel of picked) {
      const sub = client.subscribe(channel, spec.params ?? {});
      for (const type of Object.keys(protocol.events)) sub.on(type, () => viaHandle.add(type));
    }
    const endpoints = name === 'sentio' ? 5 : 1;
    await waitFor(
      () =>
        client.state === 'open' &&
        server.listClients().length === endpoints &&
        (!serverSide || server.listClients().every((c) => c.subscriptions.size > 0)),
      5_000,
    );
    server.setFeed({ rate: 400 });
    const sent = Object.keys(protocol.events).filter((t) => t !== 'connected' && t !== 'connection');
    await waitFor(
      () => sent.every((t) => seen.events.has(t)) && (name !== 'agentTracker' || seen.unknown.length > 0),
      10_000,
    );
    server.setFeed(false);
    server.faults.sendRaw('{"type":');
    server.faults.sendRaw(JSON.stringify(spec.unknown));
    server.faults.sendRaw(JSON.stringify(spec.wrong));
    server.faults.sendRaw(big);
    // Frames arrive in order on each connection: the oversize one last.
    await waitFor(() => seen.invalid.filter((m) => m.reason === 'oversize').length === endpoints, 5_000);
    const s = client.stats();
    expect(s.received + s.invalid + s.unknown + s.protocol).toBe(counting.items());
    expect(s.received).toBe([...seen.events.values()].reduce((n, list) => n + list.length, 0));
    const junkType = (spec.unknown as { type: string }).type;
    expect(seen.unknown.filter((m) => m.type === junkType)).toHaveLength(endpoints);
    expect(seen.invalid.filter((m) => m.reason === 'malformed')).toHaveLength(endpoints);
    expect(
      seen.invalid.filter((m) => m.reason === 'schema' && m.type === (spec.wrong as { type: string }).type),
    ).toHaveLength(endpoints);
    expect(seen.invalid.filter((m) => m.reason === 'schema')).toHaveLength(endpoints);
    if (!serverSide) {
      // The handle saw only its channel's types; client.on saw every type the feed sent.
      const own = new Set(
        Object.keys(protocol.events).filter((t) => protocol.matches!(picked[0]!, {}, t, seen.first(t))),
      );
      expect([...viaHandle].every((t) => own.has(t))).toBe(true);
      expect(sent.some((t) => !own.has(t))).toBe(true);
    }
  });
});
