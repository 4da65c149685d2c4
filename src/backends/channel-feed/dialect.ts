import { isRecord, parseJson } from '../../protocol/json.js';
import { channelFeedChannels, channelFeedTypeOf } from './channels.js';
import { channelFeedSchemas } from './wire.js';
import type { FeedClient, FeedSource, ServerDialect } from '../../server/dialect.js';
import { envelope, pick, round, withoutEnvelope } from '../shared-dialect.js';

const channels: readonly string[] = channelFeedChannels;

/** Python's naive `datetime.now().isoformat()`, microseconds included. */
function pyIso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000`;
}

const usd = (value: number): string =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function feed(random: () => number): FeedSource {
  let count = 0;
  const symbols = ['AAPL', 'MSFT', 'NVDA', 'BTC'];
  return (now) => {
    const channel = count < channels.length ? channels[count]! : pick(channels, random);
    count += 1;
    const symbol = pick(symbols, random);
    const payloads: Record<string, unknown> = {
      dashboard: {
        total_value: usd(48_000 + random() * 4_000),
        daily_pnl: usd(random() * 2_000),
        open_positions: 3 + Math.floor(random() * 5),
        win_rate: `${(50 + random() * 15).toFixed(1)}%`,
        // Keys a newer DashboardDataSource returns: kept by the preset, declared by nobody.
        cash_balance: usd(12_000),
        risk: { var_95: usd(800), leverage: 1.2 },
      },
      trades: [
        {
          id: `t-${count}`,
          symbol,
          side: random() < 0.5 ? 'buy' : 'sell',
          price: round(100 + random() * 50, 2),
          quantity: 10,
        },
      ],
      positions: [
        { symbol, quantity: 10 + Math.floor(random() * 90), unrealized_pnl: round((random() - 0.5) * 400, 2) },
      ],
      performance: {
        total_return: round(random() * 12, 2),
        sharpe_ratio: round(0.5 + random(), 2),
        max_drawdown: round(random() * 8, 2),
      },
      alerts: [{ level: random() < 0.8 ? 'info' : 'warning', message: `${symbol} crossed its 50-day moving average` }],
    };
    return {
      channel,
      type: channelFeedTypeOf(channel),
      data: { data: payloads[channel], timestamp: pyIso(now), sequence: count },
    };
  };
}

/**
 * Seed 002's FastAPI server: `/ws`, server-side channels, `{type, data, timestamp}` only to a
 * channel's subscribers. Subscribe/unsubscribe frames are validated with
 * `channelFeedSchemas.client`; anything else gets `{"type":"error","data":{"message":…}}`.
 * @category Mock server
 */
export function channelFeedDialect(): ServerDialect {
  const error = (client: FeedClient, message: string, now: number): void =>
    client.send(JSON.stringify({ type: 'error', data: { message }, timestamp: pyIso(now) }));
  return {
    name: 'channelFeed',
    paths: ['/ws'],
    open() {},
    message(client, frame, host) {
      const msg = parseJson(frame);
      const sub = channelFeedSchemas.client.subscribe.safeParse(msg);
      const unsub = sub.success ? undefined : channelFeedSchemas.client.unsubscribe.safeParse(msg);
      const parsed = sub.success ? sub.data : unsub?.success ? unsub.data : undefined;
      if (!parsed)
        return error(
          client,
          'expected {"type":"subscribe"|"unsubscribe","data":{"channel":…},"timestamp":…}',
          host.now(),
        );
      const { channel, ...params } = parsed.data;
      if (!channels.includes(channel)) return error(client, `unknown channel: ${channel}`, host.now());
      if (parsed.type === 'subscribe') client.subscriptions.set(channel, params);
      else client.subscriptions.delete(channel);
    },
    receives: (client, event) => client.subscriptions.has(event.channel),
    encode(event) {
      const { timestamp, data } = envelope(event.data, pyIso(event.ts));
      // Envelope keys besides data/timestamp (e.g. the feed's `sequence`) go out as the server's own.
      const rest = isRecord(event.data) && 'data' in event.data ? withoutEnvelope(event.data) : {};
      return JSON.stringify({ type: event.type, data, timestamp, ...rest });
    },
    feed,
  };
}
