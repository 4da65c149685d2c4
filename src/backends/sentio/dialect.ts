import { isRecord, parseJson } from '../../protocol/json.js';
import type { SubscriptionParams } from '../../protocol/types.js';
import { stringList } from '../shared.js';
import { adminPrefix, sentioChannels, sentioFeeds } from './channels.js';
import { sentioDefaults } from './preset.js';
import { sentioSchemas } from './wire.js';
import type {
  DialectHost,
  FeedClient,
  FeedEvent,
  FeedSource,
  HttpRequest,
  HttpResponse,
  ServerDialect,
} from '../../server/dialect.js';
import { jsonResponse } from '../../server/dialect.js';
import { envelope, naiveIso, pick, round, walker } from '../shared-dialect.js';

const channels = sentioFeeds;
const channelOfPath = new Map(channels.map((c) => [sentioDefaults.endpoints[c]!, c]));
const channelOfPollPath = new Map(channels.map((c) => [sentioDefaults.pollPaths[c]!, c]));
const symbols = ['AAPL', 'GOOGL', 'MSFT', 'TSLA'];

function feed(random: () => number): FeedSource {
  const price = walker({ AAPL: 190, GOOGL: 165, MSFT: 410, TSLA: 240 }, random);
  let count = 0;
  return (now) => {
    const channel = count < channels.length ? channels[count]! : pick(channels, random);
    count += 1;
    const timestamp = naiveIso(now);
    const symbol = pick(symbols, random);
    // The type each endpoint sends, from the backend's one channel map.
    const type = sentioChannels[channel][0];
    switch (channel) {
      case 'trade-signals': {
        const signals = symbols
          .filter(() => random() < 0.5)
          .map((s) => ({
            symbol: s,
            signal: pick(['buy', 'sell', 'hold'], random),
            confidence: round(0.5 + random() * 0.5, 2),
            timestamp,
          }));
        return {
          channel,
          type,
          data: {
            data: signals.length ? signals : [{ symbol, signal: 'buy', confidence: 0.85, timestamp }],
            timestamp,
          },
        };
      }
      case 'earnings':
        return {
          channel,
          type,
          data: {
            data: {
              portfolio_value: round(95_000 + random() * 10_000, 2),
              total_return: round(random() * 8_000, 2),
              daily_pnl: round((random() - 0.4) * 600, 2),
              win_rate: round(0.5 + random() * 0.2, 2),
              // Keys the seed's example does not show; the preset keeps them.
              sharpe_ratio: round(0.8 + random(), 2),
              by_asset: { AAPL: round(random() * 1_000, 2) },
            },
            timestamp,
          },
        };
      case 'notifications':
        return {
          channel,
          type,
          data: {
            data: {
              id: `n-${count}`,
              type: pick(['success', 'info', 'warning'], random),
              title: 'Trade Executed',
              message: `Your ${symbol} buy order has been executed`,
              timestamp,
              priority: 'normal',
            },
            timestamp,
          },
        };
      case 'admin':
        // `broadcast_admin_update(kind, data)`: the seed shows kind "users"; a server has others.
        if (random() < 0.5)
          return {
            channel,
            type: `${adminPrefix}revenue`,
            data: { data: { mrr: round(15_000 + count * 10, 2), churn_rate: 0.02 }, timestamp },
          };
        return {
          channel,
          type: `${adminPrefix}users`,
          data: {
            data: {
              total_users: 150 + count,
              active_subscriptions: 120 + Math.floor(count / 2),
              monthly_revenue: round(15_000 + count * 10, 2),
            },
            timestamp,
          },
        };
      default:
        // The seed never shows a market-data frame: this shape is the mock's own, not the preset's (which takes any JSON).
        return {
          channel,
          type,
          data: {
            data: {
              symbol,
              price: round(price(symbol), 2),
              volume: Math.floor(random() * 10_000),
              quote: { bid: round(price(symbol) - 0.01, 2), ask: round(price(symbol) + 0.01, 2) },
            },
            timestamp,
          },
        };
    }
  };
}

function encodeFrame(event: FeedEvent): string {
  const { timestamp, data } = envelope(event.data, naiveIso(event.ts));
  return JSON.stringify({ type: event.type, data, timestamp });
}

/** A client filtering by `symbols` gets only signals / ticks for those symbols. */
function forSymbols(params: SubscriptionParams | undefined, event: FeedEvent): FeedEvent | undefined {
  // The preset's own reading of the param (an array or a comma list), so both sides filter alike.
  const wanted: readonly unknown[] | undefined = stringList(params?.symbols);
  if (!wanted || !isRecord(event.data)) return event;
  const data = event.data.data;
  if (event.type === 'trade_signals' && Array.isArray(data)) {
    const kept = data.filter((s) => isRecord(s) && wanted.includes(s.symbol));
    return kept.length ? { ...event, data: { ...event.data, data: kept } } : undefined;
  }
  if (event.type === 'market_data' && isRecord(data)) return wanted.includes(data.symbol) ? event : undefined;
  return event;
}

/**
 * Seed 004's FastAPI "Sentio" server: one endpoint per feed (`/ws/trade-signals`, `/ws/earnings`,
 * `/ws/notifications`, `/ws/admin`, `/ws/market-data`), `{"action":…}` frames validated with
 * `sentioSchemas.client`, `pong`, `error` frames, and the REST snapshot endpoints the preset's
 * polling spec assumes (`GET /api/<channel>` → an array of frames).
 * @category Mock server
 */
export function sentioDialect(): ServerDialect {
  const error = (client: FeedClient, message: string, now: number): void =>
    client.send(JSON.stringify({ type: 'error', message, timestamp: naiveIso(now) }));

  const http = (request: HttpRequest, host: DialectHost): HttpResponse | undefined => {
    const channel = channelOfPollPath.get(request.path);
    if (!channel) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'GET' });
    const list = request.query.get('symbols');
    const params: SubscriptionParams = list ? { symbols: list.split(',') } : {};
    const all = host.replay(channel, 0).events;
    // Snapshots: the latest of each feed; notifications are a list, market data is per symbol.
    let events: FeedEvent[];
    if (channel === 'notifications') events = all.slice(-20);
    else if (channel === 'market-data') {
      const bySymbol = new Map<unknown, FeedEvent>();
      for (const e of all) bySymbol.set(isRecord(e.data) && isRecord(e.data.data) ? e.data.data.symbol : undefined, e);
      events = [...bySymbol.values()];
    } else events = all.slice(-1);
    const frames = events.flatMap((e) => {
      const kept = forSymbols(params, e);
      return kept ? [JSON.parse(encodeFrame(kept)) as unknown] : [];
    });
    return jsonResponse(200, frames, { 'cache-control': 'no-cache' });
  };

  return {
    name: 'sentio',
    paths: channels.map((c) => sentioDefaults.endpoints[c]!),
    open() {},
    message(client, frame, host) {
      const channel = channelOfPath.get(client.path);
      const msg = parseJson(frame);
      const action = isRecord(msg) ? msg.action : undefined;
      if (action === 'ping' && sentioSchemas.client.ping.safeParse(msg).success) {
        return client.send(JSON.stringify({ type: 'pong', timestamp: naiveIso(host.now()) }));
      }
      if (action === 'subscribe') {
        const parsed = sentioSchemas.client.subscribe.safeParse(msg);
        if (!parsed.success || !channel) return error(client, 'Invalid subscribe message', host.now());
        const { action: _a, ...params } = parsed.data;
        const before = client.subscriptions.get(channel);
        const symbolsBefore = Array.isArray(before?.symbols) ? (before.symbols as string[]) : [];
        const merged = params.symbols
          ? { ...before, ...params, symbols: [...new Set([...symbolsBefore, ...params.symbols])] }
          : { ...before, ...params };
        client.subscriptions.set(channel, merged);
        return;
      }
      if (action === 'unsubscribe') {
        const parsed = sentioSchemas.client.unsubscribe.safeParse(msg);
        if (!parsed.success || !channel) return error(client, 'Invalid unsubscribe message', host.now());
        const current = client.subscriptions.get(channel);
        const remaining = Array.isArray(current?.symbols)
          ? (current.symbols as string[]).filter((s) => !parsed.data.symbols?.includes(s))
          : [];
        if (!parsed.data.symbols || remaining.length === 0) client.subscriptions.delete(channel);
        else client.subscriptions.set(channel, { ...current, symbols: remaining });
        return;
      }
      error(client, `Unknown action: ${typeof action === 'string' ? action.slice(0, 64) : 'none'}`, host.now());
    },
    receives: (client, event) =>
      channelOfPath.get(client.path) === event.channel &&
      client.subscriptions.has(event.channel) &&
      forSymbols(client.subscriptions.get(event.channel), event) !== undefined,
    encode: (event, client) => encodeFrame(forSymbols(client.subscriptions.get(event.channel), event) ?? event),
    feed,
    http,
  };
}
