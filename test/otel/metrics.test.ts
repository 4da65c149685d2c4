import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { instrumentClient, otelNames } from '../../src/otel/index.js';
import { useCleanup } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';

/** The OpenTelemetry SDK with an in-memory exporter: what a team's collector would receive. */
function sdk() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never fires in a test: collection happens on forceFlush().
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('test');
  /** Collects once and returns the metrics by name. */
  const collect = async (): Promise<Map<string, MetricData>> => {
    exporter.reset();
    await reader.forceFlush();
    const byName = new Map<string, MetricData>();
    for (const resource of exporter.getMetrics()) {
      for (const scope of resource.scopeMetrics)
        for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    }
    return byName;
  };
  return { meter, collect, close: () => provider.shutdown() };
}

/** `{ attributes → value }` of one metric, attributes joined as `k=v,…` (the base attributes left out). */
function points(metric: MetricData | undefined, ...keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const point of metric?.dataPoints ?? []) {
    const label = keys.map((k) => `${k.split('.').at(-1)}=${String(point.attributes[k])}`).join(',');
    out[label] = point.value as number;
  }
  return out;
}

describe('dashwire/otel', () => {
  const track = useCleanup();

  it('exports what stats() counts, with documented names and attributes', async () => {
    const otel = sdk();
    track({ close: otel.close });
    const server = track(await createMockServer({ protocol: 'native', feed: false, replayBuffer: 1 }));
    const client = track(createClient({ url: server.url, reconnect: { initialDelayMs: 10, minDelayMs: 5 } }));
    const metrics = instrumentClient(client, { meter: otel.meter, attributes: { 'dashwire.client': 'board' } });

    const prices = client.subscribe('prices');
    const alerts = client.subscribe('alerts');
    let ticks = 0;
    prices.on('price_update', () => ticks++);
    await Promise.all([prices.ready, alerts.ready]);
    for (let i = 1; i <= 3; i++)
      server.publish('prices', 'price_update', { symbol: 'BTC', price: `6400${i}.00`, change_24h: '0.1', ts: i });
    server.publish('alerts', 'alert', { id: 'a1', severity: 'info', message: 'hello', ts: 1 });
    server.faults.sendRaw('not json');
    server.broadcast({
      op: 'event',
      channel: 'prices',
      seq: 4,
      type: 'price_update',
      data: { symbol: 'BTC', price: 64000 },
    });
    // Published (not broadcast raw) so the server's own alerts seq is 2 too: a resume after the drop below
    // asks for since 2 on alerts, and a server that never had seq 2 would rightly be reported as a gap.
    server.publish('alerts', 'mystery', {});
    await waitFor(() => ticks === 3 && client.stats().invalid === 2 && client.stats().unknown === 1);

    let got = await otel.collect();
    const stats = client.stats();
    expect(points(got.get(otelNames.connectionState), otelNames.stateAttribute)).toEqual({
      'state=idle': 0,
      'state=connecting': 0,
      'state=open': 1,
      'state=reconnecting': 0,
      'state=polling': 0,
      'state=closed': 0,
    });
    expect(points(got.get(otelNames.received), otelNames.typeAttribute)).toEqual({
      'type=price_update': 3,
      'type=alert': 1,
    });
    expect(points(got.get(otelNames.received), otelNames.typeAttribute)).toEqual(
      Object.fromEntries(Object.entries(stats.byType).map(([type, n]) => [`type=${type}`, n])),
    );
    expect(points(got.get(otelNames.invalid), otelNames.typeAttribute, otelNames.reasonAttribute)).toEqual({
      'type=(none),reason=malformed': 1,
      'type=price_update,reason=schema': 1,
    });
    expect(points(got.get(otelNames.unknown), otelNames.typeAttribute)).toEqual({ 'type=mystery': 1 });
    expect(points(got.get(otelNames.frames))).toEqual({ '': stats.frames });
    expect(points(got.get(otelNames.queued))).toEqual({ '': 0 });
    // Both channels delivered just now: fresh, with an age in ms.
    expect(points(got.get(otelNames.channelStale), otelNames.channelAttribute)).toEqual({
      'channel=prices': 0,
      'channel=alerts': 0,
    });
    expect(Object.keys(points(got.get(otelNames.channelAge), otelNames.channelAttribute)).sort()).toEqual([
      'channel=alerts',
      'channel=prices',
    ]);
    expect(points(got.get(otelNames.reconnects))).toEqual({ '': 0 });
    const point = got.get(otelNames.received)!.dataPoints[0]!;
    expect(point.attributes).toMatchObject({ 'dashwire.client': 'board', [otelNames.transportAttribute]: 'websocket' });

    // A drop while events are published that the one-event replay buffer cannot hold: a gap.
    server.faults.dropAll();
    for (let i = 5; i <= 9; i++)
      server.publish('prices', 'price_update', { symbol: 'BTC', price: `640${i}0.00`, change_24h: '0.1', ts: i });
    let gaps = 0;
    client.on('gap', () => gaps++);
    await waitFor(() => client.state === 'open' && gaps > 0, 5_000);
    got = await otel.collect();
    expect(points(got.get(otelNames.reconnects))).toEqual({ '': client.stats().reconnects });
    expect(points(got.get(otelNames.gaps), otelNames.channelAttribute)).toEqual({ 'channel=prices': 1 });
    expect(Object.values(points(got.get(otelNames.missed), otelNames.channelAttribute))[0]).toBeGreaterThan(0);

    // After dispose the client is no longer observed: what it receives next is not exported.
    const before = points(got.get(otelNames.received), otelNames.typeAttribute);
    metrics.dispose();
    const received = client.stats().received;
    server.publish('prices', 'price_update', { symbol: 'BTC', price: '1.00', change_24h: '0.1', ts: 10 });
    await waitFor(() => client.stats().received > received);
    got = await otel.collect();
    expect(points(got.get(otelNames.received), otelNames.typeAttribute)).toEqual(before);
  });

  it('exports queue depth and per-channel staleness while the connection is down', async () => {
    const otel = sdk();
    track({ close: otel.close });
    const server = track(await createMockServer({ protocol: 'native', feed: false }));
    const client = track(createClient({ url: server.url, reconnect: { initialDelayMs: 60_000, minDelayMs: 60_000 } }));
    instrumentClient(client, { meter: otel.meter });
    const prices = client.subscribe('prices');
    await prices.ready;
    server.publish('prices', 'price_update', { symbol: 'BTC', price: '1.00', change_24h: '0.1', ts: 1 });
    await waitFor(() => client.stats().received === 1);
    let got = await otel.collect();
    expect(points(got.get(otelNames.channelStale), otelNames.channelAttribute)).toEqual({ 'channel=prices': 0 });

    server.faults.dropAll();
    await waitFor(() => client.state === 'reconnecting');
    expect(client.send({ op: 'hello' })).toBe(true);
    got = await otel.collect();
    // Everything is stale from the moment the connection leaves open; the message waits in the queue.
    expect(points(got.get(otelNames.channelStale), otelNames.channelAttribute)).toEqual({ 'channel=prices': 1 });
    expect(points(got.get(otelNames.queued))).toEqual({ '': 1 });
    expect(client.stats().queued).toBe(1);
  });
});
