/** A tab's stats(): the shared connection's counters with the tab's own on top. */
import { describe, expect, it } from 'vitest';
import type { ClientStats } from '../../src/client/types.js';
import { tabStats, type TabCounts } from '../../src/share/proxy-stats.js';

const tab: TabCounts = {
  state: 'open',
  received: 3,
  duplicates: 1,
  handlerErrors: 0,
  byType: { price_update: 3 },
  freshness: {},
  share: 'follower',
};

describe('tab stats', () => {
  it("before the host's counters arrive: zeros, transport 'shared', the tab's own validation mode", () => {
    expect(tabStats(undefined, 'compiled', tab)).toEqual({
      transport: 'shared',
      frames: 0,
      received: 3,
      invalid: 0,
      unknown: 0,
      protocol: 0,
      duplicates: 1,
      handlerErrors: 0,
      serverErrors: 0,
      reconnects: 0,
      dropped: 0,
      queued: 0,
      rttMs: undefined,
      byType: { price_update: 3 },
      validation: 'compiled',
      freshness: {},
      state: 'open',
      share: 'follower',
    });
  });

  it("the connection's counters come from the host; what this tab saw is its own", () => {
    const host = {
      ...tabStats(undefined, 'compiled', tab),
      transport: 'websocket',
      frames: 40,
      received: 38,
      duplicates: 0,
      reconnects: 2,
      rttMs: 12,
      validation: 'runtime',
      byType: { price_update: 30, trade_executed: 8 },
      state: 'reconnecting',
      share: undefined,
    } satisfies ClientStats;
    expect(tabStats(host, 'compiled', tab)).toMatchObject({
      transport: 'websocket',
      frames: 40,
      reconnects: 2,
      rttMs: 12,
      validation: 'runtime',
      received: 3,
      duplicates: 1,
      byType: { price_update: 3 },
      state: 'open',
      share: 'follower',
    });
  });
});
