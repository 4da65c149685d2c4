// The inbound benchmark's messages: one logical feed, wrapped in each protocol's envelope.
// A repeating pattern of 10 messages (6 price ticks, 2 trades, 1 alert, 1 portfolio value)
// over 200 symbols. Every generator is pure and deterministic.

const symbols = Array.from({ length: 200 }, (_, i) => `SYM${String(i).padStart(3, '0')}`);
const pattern = [
  'price_update',
  'price_update',
  'trade',
  'price_update',
  'price_update',
  'alert',
  'price_update',
  'trade',
  'price_update',
  'portfolio_value',
];
export const channelOf = { price_update: 'prices', trade: 'trades', alert: 'alerts', portfolio_value: 'portfolio' };
export const types = Object.keys(channelOf);
export const channels = Object.values(channelOf);

/** Payload of message `i`: valid against dashwire's default native catalogue. */
export function payload(i) {
  const type = pattern[i % pattern.length];
  const symbol = symbols[i % symbols.length];
  const ts = 1_700_000_000_000 + i;
  switch (type) {
    case 'price_update':
      return {
        type,
        data: {
          symbol,
          price: `${100 + (i % 997)}.${String(i % 100).padStart(2, '0')}`,
          change_24h: `-${i % 7}.25`,
          ts,
        },
      };
    case 'trade':
      return {
        type,
        data: {
          id: `t${i}`,
          symbol,
          side: i % 2 ? 'buy' : 'sell',
          price: `${100 + (i % 89)}.5`,
          quantity: `${1 + (i % 13)}`,
          ts,
        },
      };
    case 'alert':
      return { type, data: { id: `a${i}`, severity: 'warning', message: `${symbol} moved 5% in 1h`, symbol, ts } };
    default:
      return {
        type,
        data: {
          account: `acct${i % 20}`,
          total_usd: `${125000 + (i % 1000)}.50`,
          change_24h: '1.75',
          positions: 12,
          ts,
        },
      };
  }
}

/** dashwire native frames (also the floor's and partysocket's frames): per-channel seq. */
export function nativeFrames(n) {
  const seq = Object.create(null);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const { type, data } = payload(i);
    const channel = channelOf[type];
    seq[channel] = (seq[channel] ?? 0) + 1;
    out[i] = JSON.stringify({ op: 'event', channel, seq: seq[channel], type, data, ts: data.ts });
  }
  return out;
}

/** Phoenix V2 JSON serializer: [join_ref, ref, topic, event, payload]. */
export function phoenixFrames(n, joinRefs) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const { type, data } = payload(i);
    const topic = `feed:${channelOf[type]}`;
    out[i] = JSON.stringify([joinRefs[topic] ?? null, null, topic, type, data]);
  }
  return out;
}

/** Centrifugo client protocol v2 (JSON): a publication push; data carries the type. */
export function centrifugeFrames(n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const { type, data } = payload(i);
    out[i] = JSON.stringify({ push: { channel: channelOf[type], pub: { data: { type, data } } } });
  }
  return out;
}

/**
 * Preset wire frames, shaped as each seed backend sends them (see test/presets/*.test.ts and
 * test/fixtures/seeds/). `subscribe` is what the client subscribes to, if anything.
 */
export function presetFrames(name, n, seeds) {
  const list = presetSamples(name, seeds);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = list[i % list.length];
  return out;
}

export const presetSetup = {
  cryptoPortfolio: { path: '/ws/dashboard', subscribe: [] },
  ares: { path: '/ws', subscribe: [] },
  channelFeed: { path: '/ws', subscribe: [['dashboard', {}]] },
  agentTracker: { path: '/ws', subscribe: [] },
  sentio: { path: '', subscribe: [['earnings', { user_id: 'user_001' }]] },
};

function presetSamples(name, seeds) {
  switch (name) {
    case 'cryptoPortfolio': {
      const { _source, ...examples } = seeds['000'];
      return Object.values(examples).map((f) => JSON.stringify(f));
    }
    case 'ares': {
      const ts = '2024-01-19T10:46:15.123456789+01:00';
      return Object.entries(seeds['001'].data).map(([type, data]) => JSON.stringify({ type, timestamp: ts, data }));
    }
    case 'channelFeed':
      return [
        JSON.stringify({
          type: 'dashboard_update',
          data: seeds['002'].dashboard_update_data,
          timestamp: '2024-10-05T10:30:00.123456',
        }),
      ];
    case 'agentTracker': {
      const ts = '2024-10-05T10:30:00.000Z';
      const agent = { id: 'monitoring-agent', name: 'Monitoring', status: 'active' };
      const task = {
        id: 'task-123',
        agentId: 'monitoring-agent',
        type: 'price_check',
        priority: 'high',
        status: 'completed',
        result: { price: 45.67 },
      };
      return [
        JSON.stringify({ type: 'agentUpdate', data: agent, timestamp: ts }),
        JSON.stringify({ type: 'taskUpdate', data: task, timestamp: ts }),
      ];
    }
    case 'sentio':
      return [JSON.stringify({ type: 'earnings', data: seeds['004'].data.earnings, timestamp: '2024-10-05T10:30:00' })];
    default:
      throw new Error(`unknown preset ${name}`);
  }
}

export function loadSeeds(readFileSync, root) {
  const names = {
    '000': '000-crypto-portfolio',
    '001': '001-ares',
    '002': '002-channel-feed',
    '003': '003-agent-tracker',
    '004': '004-sentio',
  };
  const seeds = {};
  for (const [k, f] of Object.entries(names))
    seeds[k] = JSON.parse(readFileSync(`${root}/test/fixtures/seeds/${f}.json`, 'utf8'));
  return seeds;
}
