import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod';
import { createClient, type InvalidMessage } from '../../src/index.js';
import { presets } from '../../src/backends/presets.js';
import { agentTrackerSchemas } from '../../src/backends/agent-tracker/wire.js';
import seed from '../fixtures/seeds/003-agent-tracker.json' with { type: 'json' };
import { flush, presetServer } from './harness.js';

const url = 'ws://localhost:4000/ws';
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

describe('presets.agentTracker (seed 003)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('the seed test-endpoint bodies match the http schemas', () => {
    expect(agentTrackerSchemas.http.simulateAgentUpdate.safeParse(seed['simulate-agent-update']).success).toBe(true);
    expect(agentTrackerSchemas.http.simulateTaskCreation.safeParse(seed['simulate-task-creation']).success).toBe(true);
    expect(agentTrackerSchemas.http.simulateTaskUpdate.safeParse(seed['simulate-task-update']).success).toBe(true);
    expect(agentTrackerSchemas.http.broadcastCustom.safeParse(seed['broadcast-custom']).success).toBe(true);
  });

  it('delivers connection (also as welcome), agentUpdate, taskUpdate and portfolioUpdate, typed', async () => {
    const server = presetServer({
      greet: () => ({
        type: 'connection',
        data: { status: 'connected', message: 'WebSocket connected' },
        timestamp: ts,
      }),
    });
    const client = createClient({ url, transport: server.transport, protocol: presets.agentTracker() });
    const got: unknown[] = [];
    client.on('connection', (m) => {
      expectTypeOf(m.data).toEqualTypeOf<unknown>();
      got.push(['connection', (m.data as { status?: unknown }).status]);
    });
    client.on('agentUpdate', (m) => {
      expectTypeOf(m.data.status).toEqualTypeOf<string | undefined>();
      got.push(['agent', m.data]);
    });
    client.on('taskUpdate', (m) => got.push(['task', m.data.status, m.timestamp]));
    client.on('portfolioUpdate', (m) => {
      expectTypeOf(m.data.totalValue).toEqualTypeOf<number | undefined>();
      got.push(['portfolio', m.data.totalValue]);
    });
    await flush();
    server.send({ type: 'agentUpdate', data: agent, timestamp: ts });
    server.send({ type: 'taskUpdate', data: task, timestamp: ts });
    server.send({ type: seed['broadcast-custom'].type, data: seed['broadcast-custom'].data, timestamp: ts });
    await flush();
    expect(got).toEqual([
      ['connection', 'connected'],
      ['agent', agent],
      ['task', 'completed', ts],
      ['portfolio', 125000.5],
    ]);
    expect(client.latest('agentUpdate', 'monitoring-agent')?.data.status).toBe('active');
    expect(client.latest('taskUpdate', 'task-123')?.data.result).toEqual({ price: 45.67 });
    await client.close();
  });

  it('a Date must arrive as JSON.stringify prints it; wrong and missing fields are `invalid`', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.agentTracker() });
    const invalid: InvalidMessage[] = [];
    client.on('invalid', (m) => invalid.push(m));
    await flush();
    server.send({ type: 'agentUpdate', data: agent, timestamp: 1_700_000_000_000 });
    server.send({ type: 'agentUpdate', data: { ...agent, status: 1 }, timestamp: ts });
    server.send({ type: 'taskUpdate', data: { id: 'x', status: 'pending', agentId: 7 }, timestamp: ts });
    await flush();
    expect(invalid.map((m) => m.issues?.[0]?.path)).toEqual([['timestamp'], ['data', 'status'], ['data', 'agentId']]);
    await client.close();
  });

  it('unknown custom types surface as `unknown`; the `custom` option types them', async () => {
    const server = presetServer();
    const protocol = presets.agentTracker({
      custom: { riskAlert: z.object({ data: z.object({ level: z.enum(['low', 'high']) }), timestamp: z.string() }) },
    });
    const client = createClient({ url, transport: server.transport, protocol });
    const levels: string[] = [];
    client.on('riskAlert', (m) => {
      expectTypeOf(m.data.level).toEqualTypeOf<'low' | 'high'>();
      levels.push(m.data.level);
    });
    const unknown: string[] = [];
    client.on('unknown', (m) => unknown.push(m.type));
    await flush();
    server.send({ type: 'riskAlert', data: { level: 'high' }, timestamp: ts });
    server.send({ type: 'somethingElse', data: {}, timestamp: ts });
    await flush();
    expect(levels).toEqual(['high']);
    expect(unknown).toEqual(['somethingElse']);
    await client.close();
  });

  it('channels are client-side filters by type and agentId; nothing goes on the wire', async () => {
    const server = presetServer();
    const client = createClient({ url, transport: server.transport, protocol: presets.agentTracker() });
    const got: string[] = [];
    const sub = client.subscribe('all', { agentId: 'monitoring-agent' });
    sub.on('agentUpdate', (m) => got.push(`agent:${m.data.id}`));
    sub.on('taskUpdate', (m) => got.push(`task:${m.data.id}`));
    client.subscribe('tasks').on('taskUpdate', (m) => got.push(`tasks:${m.data.id}`));
    await flush();
    server.send({ type: 'agentUpdate', data: agent, timestamp: ts });
    server.send({ type: 'agentUpdate', data: { ...agent, id: 'other' }, timestamp: ts });
    server.send({ type: 'taskUpdate', data: task, timestamp: ts });
    await flush();
    expect(got).toEqual(['agent:monitoring-agent', 'task:task-123', 'tasks:task-123']);
    expect(server.received).toEqual([]);
    await client.close();
  });

  it('idle watchdog: five silent minutes replace the link, then it carries on', async () => {
    const server = presetServer();
    const client = createClient({
      url,
      transport: server.transport,
      protocol: presets.agentTracker(),
      random: () => 0,
    });
    const got: string[] = [];
    client.subscribe('agents').on('agentUpdate', (m) => got.push(m.data.status ?? 'missing'));
    await flush();
    await vi.advanceTimersByTimeAsync(299_000);
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_200);
    await flush();
    expect(server.sockets).toHaveLength(2);
    server.send({ type: 'agentUpdate', data: agent, timestamp: ts });
    await flush();
    expect(got).toEqual(['active']);
    await client.close();
  });
});
