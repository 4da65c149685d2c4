/**
 * OpenTelemetry metrics for a dashwire client (`dashwire/otel`). Needs `@opentelemetry/api`
 * (an optional peer) and an SDK the app already configures; the core never imports this file.
 * @module dashwire/otel
 */
import { metrics, type Attributes, type BatchObservableResult, type Meter, type Observable } from '@opentelemetry/api';
import type { Client, ConnectionState } from '../client/types.js';
import type { EventCatalog } from '../events.js';

/** Options of {@link instrumentClient}. @category Metrics */
export interface ClientMetricsOptions {
  /** Meter that owns the instruments. @default metrics.getMeter('dashwire') (the global provider) */
  readonly meter?: Meter;
  /** Added to every measurement, e.g. `{ 'dashwire.client': 'trading-board' }` when an app runs several clients. */
  readonly attributes?: Attributes;
}

/** What {@link instrumentClient} returns. @category Metrics */
export interface ClientMetrics {
  /** Stops observing the client: the instruments report nothing more for it. Idempotent. */
  dispose(): void;
}

/** Instrument and attribute names, as documented in docs/otel.md. @category Metrics */
export const otelNames = {
  connectionState: 'dashwire.connection.state',
  reconnects: 'dashwire.reconnects',
  rtt: 'dashwire.rtt',
  frames: 'dashwire.frames',
  received: 'dashwire.events.received',
  invalid: 'dashwire.events.invalid',
  unknown: 'dashwire.events.unknown',
  duplicates: 'dashwire.events.duplicates',
  handlerErrors: 'dashwire.handler.errors',
  serverErrors: 'dashwire.server.errors',
  gaps: 'dashwire.gaps',
  missed: 'dashwire.gap.events',
  dropped: 'dashwire.queue.dropped',
  queued: 'dashwire.queue.depth',
  channelAge: 'dashwire.channel.age',
  channelStale: 'dashwire.channel.stale',
  /** Attribute: a connection state, on `dashwire.connection.state`. */
  stateAttribute: 'dashwire.connection.state',
  /** Attribute: the transport in use (`websocket`, `polling`, `memory`…). */
  transportAttribute: 'dashwire.transport',
  /** Attribute: a message type, on the per-type counters. */
  typeAttribute: 'dashwire.event.type',
  /** Attribute: why a frame was rejected (`malformed`, `oversize`, `schema`). */
  reasonAttribute: 'dashwire.invalid.reason',
  /** Attribute: a channel, on the gap counters. */
  channelAttribute: 'dashwire.channel',
} as const;

const states: readonly ConnectionState[] = ['idle', 'connecting', 'open', 'reconnecting', 'polling', 'closed'];
/** A frame rejected before its envelope was readable has no type. */
const noType = '(none)';

/**
 * Registers observable instruments that read `client.stats()` at each collection, so the exported
 * numbers are the ones `stats()` shows. `stats()` has no per-type split of invalid and unknown
 * frames and no gap count, so those three are counted here from the client's `invalid`, `unknown`
 * and `gap` events, from the moment of the call. Names and attributes: {@link otelNames}.
 *
 * ```ts
 * import { instrumentClient } from 'dashwire/otel';
 * const metrics = instrumentClient(client, { attributes: { 'dashwire.client': 'board' } });
 * // … later: metrics.dispose();
 * ```
 * @category Metrics
 */
export function instrumentClient<E extends EventCatalog>(
  client: Client<E>,
  options: ClientMetricsOptions = {},
): ClientMetrics {
  const meter = options.meter ?? metrics.getMeter('dashwire');
  const base = options.attributes ?? {};
  const n = otelNames;

  const state = meter.createObservableGauge(n.connectionState, {
    description: 'Connection state: 1 for the current state, 0 for the others',
  });
  const reconnects = meter.createObservableCounter(n.reconnects, { description: 'Reconnect attempts made' });
  const rtt = meter.createObservableGauge(n.rtt, { description: 'Last heartbeat round-trip time', unit: 'ms' });
  const frames = meter.createObservableCounter(n.frames, {
    description: 'Frames received (WebSocket messages or poll responses)',
  });
  const received = meter.createObservableCounter(n.received, {
    description: 'Valid events delivered, per message type',
  });
  const duplicates = meter.createObservableCounter(n.duplicates, {
    description: 'Events dropped as already delivered after a resume',
  });
  const handlerErrors = meter.createObservableCounter(n.handlerErrors, { description: 'Handlers that threw' });
  const serverErrors = meter.createObservableCounter(n.serverErrors, {
    description: 'Error frames sent by the server',
  });
  const dropped = meter.createObservableCounter(n.dropped, {
    description: 'Outgoing messages dropped because the queue was full',
  });
  const queued = meter.createObservableGauge(n.queued, { description: 'Outgoing messages waiting for a connection' });
  const channelAge = meter.createObservableGauge(n.channelAge, {
    description: 'Time since the channel last delivered an event',
    unit: 'ms',
  });
  const channelStale = meter.createObservableGauge(n.channelStale, { description: 'Channel is stale: 1, else 0' });
  // Counted from events (see the JSDoc): synchronous counters, recorded as they happen.
  const invalid = meter.createCounter(n.invalid, {
    description: 'Frames rejected by validation, per message type and reason',
  });
  const unknown = meter.createCounter(n.unknown, {
    description: 'Valid envelopes of a type the catalogue does not declare, per type',
  });
  const gaps = meter.createCounter(n.gaps, { description: 'Gaps: events the server could not replay, per channel' });
  const missed = meter.createCounter(n.missed, { description: 'Events lost in gaps, per channel' });

  const observed: Observable[] = [
    state,
    reconnects,
    rtt,
    frames,
    received,
    duplicates,
    handlerErrors,
    serverErrors,
    dropped,
    queued,
    channelAge,
    channelStale,
  ];
  const collect = (result: BatchObservableResult): void => {
    const stats = client.stats();
    const attrs = { ...base, [n.transportAttribute]: stats.transport };
    for (const s of states) result.observe(state, s === stats.state ? 1 : 0, { ...attrs, [n.stateAttribute]: s });
    result.observe(reconnects, stats.reconnects, attrs);
    if (stats.rttMs !== undefined) result.observe(rtt, stats.rttMs, attrs);
    result.observe(frames, stats.frames, attrs);
    for (const [type, count] of Object.entries(stats.byType))
      result.observe(received, count, { ...attrs, [n.typeAttribute]: type });
    result.observe(duplicates, stats.duplicates, attrs);
    result.observe(handlerErrors, stats.handlerErrors, attrs);
    result.observe(serverErrors, stats.serverErrors, attrs);
    result.observe(dropped, stats.dropped, attrs);
    result.observe(queued, stats.queued, attrs);
    for (const [channel, fresh] of Object.entries(stats.freshness)) {
      const channelAttrs = { ...attrs, [n.channelAttribute]: channel };
      if (fresh.ageMs !== undefined) result.observe(channelAge, fresh.ageMs, channelAttrs);
      result.observe(channelStale, fresh.stale ? 1 : 0, channelAttrs);
    }
  };
  meter.addBatchObservableCallback(collect, observed);

  const off = [
    client.on('invalid', (m) =>
      invalid.add(1, { ...base, [n.typeAttribute]: m.type ?? noType, [n.reasonAttribute]: m.reason }),
    ),
    client.on('unknown', (m) => unknown.add(1, { ...base, [n.typeAttribute]: m.type })),
    client.on('gap', (g) => {
      gaps.add(1, { ...base, [n.channelAttribute]: g.channel });
      missed.add(Math.max(0, g.toSeq - g.fromSeq + 1), { ...base, [n.channelAttribute]: g.channel });
    }),
  ];

  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      meter.removeBatchObservableCallback(collect, observed);
      for (const stop of off) stop();
    },
  };
}
