import type { Receive } from './receive.js';
import type { FreshnessStats } from './store-types.js';
import type { ClientStats, ConnectionState } from './types.js';
import type { ValidationMode } from './validate.js';

/** The counters the client itself keeps (the receive path keeps the others). */
export interface ClientCounts {
  /** Handlers that threw. */
  handlerErrors: number;
  /** Connections that dropped and retried. */
  reconnects: number;
  /** Outgoing messages dropped because the queue was full. */
  dropped: number;
  /** Last ping round-trip time, in ms. */
  rttMs: number | undefined;
}

/** Where `client.stats()` reads its numbers from at the moment it is called. */
export interface StatsSources {
  readonly state: ConnectionState;
  readonly transport: string;
  readonly receive: Pick<Receive, 'counters' | 'byType'>;
  readonly counts: ClientCounts;
  readonly queued: number;
  readonly validation: ValidationMode;
  readonly freshness: FreshnessStats;
}

/** `client.stats()`: one fresh object with the client's counters and gauges. */
export function clientStats(sources: StatsSources): ClientStats {
  const c = sources.receive.counters;
  const { counts } = sources;
  return {
    state: sources.state,
    transport: sources.transport,
    frames: c.frames,
    received: c.received,
    invalid: c.invalid,
    unknown: c.unknown,
    protocol: c.protocol,
    duplicates: c.duplicates,
    handlerErrors: counts.handlerErrors,
    serverErrors: c.serverErrors,
    reconnects: counts.reconnects,
    dropped: counts.dropped,
    queued: sources.queued,
    rttMs: counts.rttMs,
    byType: sources.receive.byType(),
    validation: sources.validation,
    freshness: sources.freshness,
  };
}
