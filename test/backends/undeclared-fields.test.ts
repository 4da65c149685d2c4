/**
 * The one policy of every built-in catalogue: validate what is declared, keep what is not.
 * For the native default and each preset, a frame whose top level and nested objects carry
 * fields no schema declares must reach the handler with all of them (docs/validation.md,
 * "What is kept"). Replace `keepExtras` with `z.object` and every case here fails.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  createClient,
  defineEvents,
  native,
  presets,
  type EventCatalog,
  type InvalidMessage,
  type Protocol,
} from '../../src/index.js';
import { flush, scriptedServer } from '../helpers/scripted-server.js';
import { presetServer } from './harness.js';

const extra = { added_by_server: 'v2', nested_extra: { depth: 2 } };
const goTs = '2024-01-19T10:30:45Z';
const pyTs = '2024-10-05T10:30:00';
const jsTs = '2024-10-05T10:30:00.000Z';

/** Per preset: wire frames (object → JSON) and the payload each handler must receive. */
const cases: {
  name: string;
  protocol: () => Protocol;
  channel?: string;
  frames: { type: string; wire: object; payload: unknown }[];
}[] = [
  {
    name: 'cryptoPortfolio',
    protocol: () => presets.cryptoPortfolio(),
    frames: [
      {
        type: 'price_update',
        wire: {
          type: 'price_update',
          asset: 'SOL',
          blockchain: 'Solana',
          price: '100.50',
          change_24h: '5.2',
          timestamp: 1234567890,
          ...extra,
        },
        payload: {
          asset: 'SOL',
          blockchain: 'Solana',
          price: '100.50',
          change_24h: '5.2',
          timestamp: 1234567890,
          ...extra,
        },
      },
      {
        type: 'portfolio_update',
        wire: {
          type: 'portfolio_update',
          total_value_usd: '50000.00',
          change_24h: '3.5',
          timestamp: 1234567890,
          ...extra,
        },
        payload: { total_value_usd: '50000.00', change_24h: '3.5', timestamp: 1234567890, ...extra },
      },
    ],
  },
  {
    name: 'ares',
    protocol: () => presets.ares(),
    frames: [
      {
        type: 'signal',
        wire: {
          type: 'signal',
          timestamp: goTs,
          data: { strategy_name: 'RSI_Oversold', action: 'BUY', price: 42350.5, confidence: 0.85, ...extra },
          topic: 'strategy.RSI_Oversold.signal',
        },
        payload: {
          timestamp: goTs,
          data: { strategy_name: 'RSI_Oversold', action: 'BUY', price: 42350.5, confidence: 0.85, ...extra },
          topic: 'strategy.RSI_Oversold.signal',
        },
      },
    ],
  },
  {
    name: 'channelFeed',
    protocol: () => presets.channelFeed(),
    channel: 'dashboard',
    frames: [
      {
        type: 'dashboard_update',
        wire: {
          type: 'dashboard_update',
          data: { total_value: '$50,000.00', daily_pnl: '$1,200.00', open_positions: 5, win_rate: '58.3%', ...extra },
          timestamp: pyTs,
          ...extra,
        },
        payload: {
          data: { total_value: '$50,000.00', daily_pnl: '$1,200.00', open_positions: 5, win_rate: '58.3%', ...extra },
          timestamp: pyTs,
          ...extra,
        },
      },
    ],
  },
  {
    name: 'agentTracker',
    protocol: () => presets.agentTracker(),
    frames: [
      {
        type: 'taskUpdate',
        wire: {
          type: 'taskUpdate',
          data: { id: 'task-123', status: 'completed', result: { price: 45.67 }, ...extra },
          timestamp: jsTs,
          ...extra,
        },
        payload: {
          data: { id: 'task-123', status: 'completed', result: { price: 45.67 }, ...extra },
          timestamp: jsTs,
          ...extra,
        },
      },
      {
        type: 'portfolioUpdate',
        wire: { type: 'portfolioUpdate', data: { totalValue: 125000.5, ...extra }, timestamp: jsTs, ...extra },
        payload: { data: { totalValue: 125000.5, ...extra }, timestamp: jsTs, ...extra },
      },
    ],
  },
  {
    name: 'sentio',
    protocol: () => presets.sentio(),
    channel: 'trade-signals',
    frames: [
      {
        type: 'trade_signals',
        wire: {
          type: 'trade_signals',
          data: [{ symbol: 'AAPL', signal: 'buy', confidence: 0.85, ...extra }],
          timestamp: pyTs,
          ...extra,
        },
        payload: { data: [{ symbol: 'AAPL', signal: 'buy', confidence: 0.85, ...extra }], timestamp: pyTs, ...extra },
      },
    ],
  },
];

describe('undeclared fields are kept, top level and nested', () => {
  it.each(cases)('$name', async ({ protocol, channel, frames }) => {
    const server = presetServer();
    const p = protocol();
    const client = createClient<EventCatalog>({ url: 'ws://localhost:8000', transport: server.transport, protocol: p });
    const got = new Map<string, unknown>();
    for (const { type } of frames) client.on(type, (m: unknown) => got.set(type, m));
    if (channel) client.subscribe(channel);
    await flush();
    for (const { wire } of frames) server.send(wire);
    await flush();
    for (const { type, payload } of frames) expect(got.get(type), type).toEqual(payload);
    expect(client.stats().invalid).toBe(0);
    await client.close();
  });

  it('native default catalogue', async () => {
    const server = scriptedServer();
    const client = createClient({ url: 'ws://localhost:8080/ws', transport: server.transport, protocol: native() });
    const got: unknown[] = [];
    client.subscribe('prices').on('price_update', (m) => got.push(m));
    await flush();
    const tick = { symbol: 'SOL', price: '100.50', change_24h: '5.2', ts: 1, ...extra };
    server.event('prices', 1, 'price_update', tick);
    await flush();
    expect(got).toEqual([tick]);
    await client.close();
  });

  it('your own catalogue chooses: z.looseObject keeps, z.object strips, z.strictObject rejects', async () => {
    const shape = { id: z.string() };
    const events = defineEvents({
      loose: z.looseObject(shape),
      stripped: z.object(shape),
      strict: z.strictObject(shape),
    });
    const server = scriptedServer();
    const client = createClient({
      url: 'ws://localhost:8080/ws',
      transport: server.transport,
      protocol: native({ events }),
    });
    const got: Record<string, unknown> = {};
    const invalid: InvalidMessage[] = [];
    const sub = client.subscribe('c');
    sub.on('loose', (m) => (got.loose = m));
    sub.on('stripped', (m) => (got.stripped = m));
    sub.on('strict', (m) => (got.strict = m));
    client.on('invalid', (m) => invalid.push(m));
    await flush();
    server.event('c', 1, 'loose', { id: 'a', more: 1 });
    server.event('c', 2, 'stripped', { id: 'b', more: 1 });
    server.event('c', 3, 'strict', { id: 'c', more: 1 });
    await flush();
    expect(got).toEqual({ loose: { id: 'a', more: 1 }, stripped: { id: 'b' } });
    expect(invalid.map((m) => [m.reason, m.type, m.issues?.[0]?.code])).toEqual([
      ['schema', 'strict', 'unrecognized_keys'],
    ]);
    await client.close();
  });
});
