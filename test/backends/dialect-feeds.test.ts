import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { presets } from '../../src/backends/presets.js';
import { agentTrackerSchemas } from '../../src/backends/agent-tracker/wire.js';
import { aresSchemas } from '../../src/backends/ares/wire.js';
import { channelFeedSchemas } from '../../src/backends/channel-feed/wire.js';
import { cryptoPortfolioSchemas } from '../../src/backends/crypto-portfolio/wire.js';
import { sentioSchemas } from '../../src/backends/sentio/wire.js';
import type { FeedClient } from '../../src/server/dialect.js';
import { createDialect, dialectNames } from '../../src/server/registry.js';
import { seededRandom } from '../../src/server/native-feed.js';

const schemas: Record<string, Readonly<Record<string, z.ZodType>>> = {
  cryptoPortfolio: cryptoPortfolioSchemas.server,
  ares: aresSchemas.server,
  channelFeed: channelFeedSchemas.server,
  agentTracker: agentTrackerSchemas.server,
  sentio: sentioSchemas.server,
};

/** Types a dialect sends on purpose that its preset does not declare (they reach clients as `unknown`). */
const undeclared: Record<string, readonly string[]> = { agentTracker: ['systemNotice'] };

/** The wire schema of a frame type: sentio's `admin_<kind>` frames share one. */
const schemaOf = (name: string, type: string): z.ZodType | undefined =>
  name === 'sentio' && type.startsWith('admin_') ? sentioSchemas.server.admin_update : schemas[name]![type];

const client = {
  id: 'c1',
  path: '/ws',
  query: new URLSearchParams(),
  connectedAt: 0,
  subscriptions: new Map(),
  send() {},
  close() {},
  terminate() {},
} as FeedClient;

describe('preset dialects: registry and synthetic feeds', () => {
  it('every preset is a registered dialect under its preset name', () => {
    for (const name of Object.keys(presets)) {
      expect(dialectNames()).toContain(name);
      expect(createDialect(name).name).toBe(name);
    }
  });

  it.each(Object.keys(schemas))(
    '%s: the feed emits every server message type, each encoded frame valid against the schemas',
    (name) => {
      const dialect = createDialect(name);
      const next = dialect.feed(seededRandom(11));
      const counts = new Map<string, number>();
      for (let i = 0; i < 500; i += 1) {
        const item = next(1_700_000_000_000 + i * 1_000);
        const frame = JSON.parse(
          dialect.encode({ ...item, seq: i + 1, ts: 1_700_000_000_000 + i * 1_000 }, client),
        ) as { type: string };
        const schema = schemaOf(name, frame.type);
        counts.set(frame.type, (counts.get(frame.type) ?? 0) + 1);
        if (undeclared[name]?.includes(frame.type)) continue;
        expect(schema, `${name}: no schema for ${frame.type}`).toBeDefined();
        const result = schema!.safeParse(frame);
        expect(result.success, `${name} ${JSON.stringify(frame)}`).toBe(true);
      }
      const protocolTypes = Object.keys((presets[name as keyof typeof presets] as () => { events: object })().events);
      const sent = (type: string) =>
        type === 'admin_update'
          ? (counts.get('admin_users') ?? 0) + (counts.get('admin_revenue') ?? 0)
          : (counts.get(type) ?? 0);
      for (const type of protocolTypes.filter((t) => t !== 'connected' && t !== 'connection'))
        expect(sent(type), type).toBeGreaterThan(0);
      for (const type of undeclared[name] ?? []) expect(counts.get(type), type).toBeGreaterThan(0);
    },
  );
});
