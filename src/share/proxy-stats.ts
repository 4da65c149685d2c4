/**
 * `stats()` of a tab's shared client: the shared connection's counters (frames, reconnects,
 * rttMs…, as the host last sent them) with what this tab itself saw on top.
 */
import type { ClientStats } from '../client/types.js';

/** What a tab counts on its own side of the shared connection. */
export type TabCounts = Pick<
  ClientStats,
  'state' | 'received' | 'duplicates' | 'handlerErrors' | 'byType' | 'freshness' | 'share'
>;

/** Until the host's counters arrive. */
const emptyStats: Omit<ClientStats, 'state'> = {
  transport: 'shared',
  frames: 0,
  received: 0,
  invalid: 0,
  unknown: 0,
  protocol: 0,
  duplicates: 0,
  handlerErrors: 0,
  serverErrors: 0,
  reconnects: 0,
  dropped: 0,
  queued: 0,
  rttMs: undefined,
  byType: {},
  validation: 'runtime',
  freshness: {},
};

/**
 * `host`: the connection's last stats (undefined before the first arrive); `validation`: how a
 * client made with the tab's options would validate, shown until then.
 */
export function tabStats(
  host: ClientStats | undefined,
  validation: ClientStats['validation'],
  tab: TabCounts,
): ClientStats {
  return { ...emptyStats, validation, ...host, ...tab };
}
