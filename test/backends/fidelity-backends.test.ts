/**
 * Each preset against a server written independently of it (test/fixtures/backends: hand-written
 * from the seed's text, importing nothing from src/), over real WebSockets on 127.0.0.1:0,
 * through the public API. Every message type the seed's server sends must arrive typed with
 * the fields no schema declares, junk must be flagged, and every frame must be accounted for.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { createClient, presets, type EventCatalog, type Protocol } from '../../src/index.js';
import { channelFeedChannels, sentioChannels } from '../../src/backends/presets.js';
import { aresPublishes, startAres } from '../fixtures/backends/ares.js';
import { agentTrackerBroadcasts, startAgentTracker } from '../fixtures/backends/agent-tracker.js';
import { channelFeedPayloads, startChannelFeed } from '../fixtures/backends/channel-feed.js';
import { cryptoPortfolioUpdates, startCryptoPortfolio } from '../fixtures/backends/crypto-portfolio.js';
import { startSentio } from '../fixtures/backends/sentio.js';
import { useCleanup } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';
import { countingTransport, observe } from './fidelity-harness.js';

const track = useCleanup();

/** A client on a counting transport, observed by outcome. */
function connect<E extends EventCatalog>(
  url: string,
  protocol: Protocol<E>,
  heartbeat = { intervalMs: 0, timeoutMs: 1_000 },
) {
  const counting = countingTransport(protocol);
  const client = track(
    createClient({
      url,
      protocol,
      transport: counting.transport,
      heartbeat,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    }),
  );
  return { client, counting, seen: observe(client, protocol) };
}

/** Waits until every frame the backend sent has arrived and been accounted for, then checks the sum. */
async function allAccounted(sent: () => number, c: ReturnType<typeof connect>): Promise<void> {
  await waitFor(() => c.counting.frames() === sent() && c.seen.accounted() === c.counting.items(), 5_000);
  expect(c.seen.accounted()).toBe(c.counting.items());
}

describe('presets against independently written backends', () => {
  it('crypto portfolio service (Rust/Tokio): all six update types, extra top-level and nested fields kept, junk flagged', async () => {
    const server = track(await startCryptoPortfolio());
    const c = connect(server.url, presets.cryptoPortfolio());
    c.client.on('price_update', (m) => expectTypeOf(m.price).toEqualTypeOf<string>());
    await waitFor(() => c.client.state === 'open' && server.backend.connections.length === 1);
    server.updates();
    server.junk();
    await allAccounted(() => server.backend.sent, c);
    for (const { type, ...fields } of cryptoPortfolioUpdates()) {
      expect(c.seen.first(type as string), type as string).toEqual({ ...fields, timestamp: expect.any(Number) });
      expect(c.seen.first(type as string)).toMatchObject({
        sequence: expect.any(Number),
        venue: { name: 'jupiter', chain_id: 101 },
      });
    }
    expect(c.seen.invalid.map((m) => m.reason)).toEqual(['malformed', 'schema', 'oversize']);
    expect(c.seen.invalid[1]).toMatchObject({ type: 'price_update', detail: expect.stringContaining('price') });
    expect(c.seen.unknown.map((m) => m.type)).toEqual(['funding_rate']);
  });

  it('ARES hub (Go): welcome, every EventBus type, the newer struct field and map keys kept, ping/pong, junk flagged', async () => {
    const server = track(await startAres());
    const c = connect(server.url, presets.ares(), { intervalMs: 30, timeoutMs: 2_000 });
    c.client.on('metrics', (m) => expectTypeOf(m.data.total_trades).toEqualTypeOf<number>());
    await waitFor(() => c.seen.events.has('connected'));
    expect(c.seen.first('connected')).toMatchObject({
      data: { server: { version: '1.4.0' }, topics: expect.any(Array) },
    });
    server.updates();
    server.junk();
    await waitFor(() => c.client.stats().protocol >= 2); // the welcome, then a pong
    await allAccounted(() => server.backend.sent, c);
    for (const [type, data] of aresPublishes) {
      expect(c.seen.first(type), type).toEqual({
        timestamp: expect.stringMatching(/\+01:00$/),
        data,
        topic: expect.stringMatching(/^strategy\./),
      });
    }
    expect(c.seen.invalid.map((m) => m.reason)).toEqual(['malformed', 'schema', 'oversize']);
    expect(c.seen.invalid[1]?.issues?.[0]?.path).toEqual(['data', 'price']);
    expect(c.seen.unknown.map((m) => m.type)).toEqual(['strategy_rollback']);
  });

  it('channel feed (FastAPI): the seed client’s subscribe frame is understood; every channel arrives with extra fields; junk flagged', async () => {
    const server = track(await startChannelFeed());
    const c = connect(server.url, presets.channelFeed());
    for (const channel of channelFeedChannels) c.client.subscribe(channel);
    await waitFor(() => server.subscribed()[0]?.length === channelFeedChannels.length);
    server.updates();
    server.junk();
    await allAccounted(() => server.backend.sent, c);
    expect(c.seen.errors).toEqual([]);
    for (const [channel, data] of Object.entries(channelFeedPayloads)) {
      expect(c.seen.first(`${channel}_update`), channel).toEqual({
        data,
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+$/),
        channel,
      });
    }
    expect(c.seen.invalid.map((m) => m.reason)).toEqual(['malformed', 'schema', 'oversize']);
    expect(c.seen.unknown.map((m) => m.type)).toEqual(['news_update']);
  });

  it('agent tracker (Node ws): connection, agent, task and custom broadcasts with their own fields; junk flagged', async () => {
    const server = track(await startAgentTracker());
    const c = connect(server.url, presets.agentTracker());
    await waitFor(() => c.seen.events.has('connection'));
    server.updates();
    server.junk();
    await allAccounted(() => server.backend.sent, c);
    expect(c.seen.first('connection')).toMatchObject({ data: { status: 'connected', serverTime: expect.any(Number) } });
    for (const [type, data] of agentTrackerBroadcasts)
      expect(c.seen.first(type), type).toEqual({ data, timestamp: expect.stringMatching(/Z$/) });
    expect(c.seen.invalid.map((m) => m.reason)).toEqual(['malformed', 'schema', 'oversize']);
    expect(c.seen.unknown.map((m) => m.type)).toEqual(['riskAlert']);
    // One welcome item besides the events: the `connection` frame decodes to both.
    expect(c.client.stats().protocol).toBe(1);
  });

  it('Sentio (FastAPI, one endpoint per feed): every feed, every admin kind, the unshown market-data shape; junk flagged', async () => {
    const server = track(await startSentio());
    const c = connect(server.origin, presets.sentio(), { intervalMs: 30, timeoutMs: 2_000 });
    c.client.on('admin_update', (m) => expectTypeOf(m.kind).toEqualTypeOf<string>());
    c.client.on('market_data', (m) => expectTypeOf(m).toEqualTypeOf<unknown>());
    for (const channel of Object.keys(sentioChannels))
      c.client.subscribe(channel, { symbols: ['AAPL'], user_id: 'user_001' });
    await waitFor(() => server.subscribedPaths().length === 5);
    server.updates();
    server.junk();
    await waitFor(() => c.client.stats().protocol >= 2); // pongs
    await allAccounted(() => server.backend.sent, c);
    expect(c.seen.errors).toEqual([]);
    expect(c.seen.first('trade_signals')).toMatchObject({
      batch_id: 'b-1',
      data: [{ symbol: 'AAPL', model: { name: 'lstm-v2', horizon: '1d' } }],
    });
    expect(c.seen.first('earnings')).toMatchObject({
      user_id: 'user_001',
      data: { daily_pnl: 250, breakdown: { realized: 180 } },
    });
    expect(c.seen.first('notification')).toMatchObject({
      user_id: 'user_001',
      data: { title: 'Trade Executed', action: { label: 'View' } },
    });
    expect(c.seen.events.get('admin_update')).toEqual([
      {
        kind: 'users',
        data: { total_users: 150, active_subscriptions: 120, monthly_revenue: 15000, by_plan: { pro: 80, basic: 40 } },
        timestamp: expect.any(String),
        source: 'billing-db',
      },
      { kind: 'revenue', data: { mrr: 15000, churn: 0.02 }, timestamp: expect.any(String) },
    ]);
    expect(c.seen.first('market_data')).toEqual({
      symbol: 'AAPL',
      price: 190.12,
      bid: 190.1,
      ask: 190.14,
      ts: 1728124200,
    });
    expect(c.seen.invalid.map((m) => m.reason).sort()).toEqual(['malformed', 'oversize', 'schema']);
    expect(c.seen.unknown.map((m) => m.type)).toEqual(['chat_message']);
  });

  it('Sentio with the user’s market-data schema: typed, validated, extra fields still kept', async () => {
    const server = track(await startSentio());
    const tick = z.looseObject({ symbol: z.string(), price: z.number() });
    const c = connect(server.origin, presets.sentio({ events: { market_data: tick } }));
    const prices: number[] = [];
    c.client.subscribe('market-data', { symbols: ['AAPL'] }).on('market_data', (m) => {
      expectTypeOf(m.price).toEqualTypeOf<number>();
      prices.push(m.price);
    });
    await waitFor(() => server.subscribedPaths().length === 1);
    server.updates();
    await allAccounted(() => server.backend.sent, c);
    expect(prices).toEqual([190.12]);
    expect(c.seen.first('market_data')).toMatchObject({ bid: 190.1, ask: 190.14 });
  });
});
