import { parseJson } from '../../protocol/json.js';
import { channelOf } from '../shared.js';
import { agentTrackerChannels } from './channels.js';
import { agentTrackerSchemas } from './wire.js';
import type { DialectHost, FeedSource, HttpRequest, HttpResponse, ServerDialect } from '../../server/dialect.js';
import { jsonResponse } from '../../server/dialect.js';
import { envelope, pick, round } from '../shared-dialect.js';

type Agent = { id: string; name: string; status: string; lastUpdated: string };
type Task = {
  id: string;
  agentId: string;
  type: string;
  priority: string;
  status: string;
  result?: unknown;
  createdAt: string;
  updatedAt: string;
};

const iso = (ms: number): string => new Date(ms).toISOString();
const agentIds = ['monitoring-agent', 'trading-agent', 'research-agent'];
/** The channel an event goes out on: by the backend's map, else the type itself (a custom broadcast). */
const channelFor = (type: string): string => channelOf(agentTrackerChannels, type) ?? type;

/** The in-memory store the seed's routes broadcast from. */
function store() {
  const agents = new Map<string, Agent>(
    agentIds.map((id) => [id, { id, name: id.replace('-agent', ''), status: 'idle', lastUpdated: iso(0) }]),
  );
  const tasks = new Map<string, Task>();
  let nextTask = 1;
  return {
    agent(id: string, status: string, now: number): Agent {
      const agent = { ...(agents.get(id) ?? { id, name: id }), status, lastUpdated: iso(now) };
      agents.set(id, agent);
      return agent;
    },
    create(agentId: string, type: string, priority: string, now: number): Task {
      const task: Task = {
        id: `task-${nextTask++}`,
        agentId,
        type,
        priority,
        status: 'pending',
        createdAt: iso(now),
        updatedAt: iso(now),
      };
      tasks.set(task.id, task);
      return task;
    },
    update(id: string, status: string, result: unknown, now: number): Task {
      // The seed's curl example updates "task-123", which no creation made: create it on the fly.
      const before = tasks.get(id) ?? {
        id,
        agentId: 'monitoring-agent',
        type: 'price_check',
        priority: 'medium',
        createdAt: iso(now),
      };
      const task: Task = { ...before, status, updatedAt: iso(now), ...(result === undefined ? {} : { result }) };
      tasks.set(id, task);
      return task;
    },
    tasks: () => [...tasks.values()],
  };
}

type Store = ReturnType<typeof store>;

function feed(random: () => number, shared: Store): FeedSource {
  let count = 0;
  const order = ['agentUpdate', 'taskUpdate', 'portfolioUpdate', 'systemNotice'];
  return (now) => {
    const r = random();
    const type =
      count < order.length
        ? order[count]!
        : r < 0.4
          ? 'agentUpdate'
          : r < 0.85
            ? 'taskUpdate'
            : r < 0.95
              ? 'portfolioUpdate'
              : 'systemNotice';
    count += 1;
    const timestamp = iso(now);
    if (type === 'agentUpdate')
      return {
        channel: channelFor(type),
        type,
        data: { data: shared.agent(pick(agentIds, random), pick(['active', 'idle', 'busy'], random), now), timestamp },
      };
    if (type === 'portfolioUpdate') {
      const data = {
        totalValue: round(120_000 + random() * 10_000, 2),
        currency: 'USD',
        breakdown: { sol: round(random() * 50_000, 2) },
      };
      return { channel: channelFor(type), type, data: { data, timestamp } };
    }
    // A custom broadcast no preset declares (`broadcastCustomMessage('systemNotice', …)`): the client reports it as `unknown`.
    if (type === 'systemNotice')
      return {
        channel: channelFor(type),
        type,
        data: { data: { text: 'Nightly rebalance starts in 5 minutes' }, timestamp },
      };
    const open = shared.tasks().filter((t) => t.status !== 'completed');
    const task =
      open.length > 0 && random() < 0.6
        ? shared.update(
            pick(open, random).id,
            random() < 0.5 ? 'running' : 'completed',
            { price: round(40 + random() * 10, 2) },
            now,
          )
        : shared.create(
            pick(agentIds, random),
            pick(['price_check', 'rebalance', 'news_scan'], random),
            pick(['low', 'medium', 'high'], random),
            now,
          );
    return { channel: channelFor('taskUpdate'), type: 'taskUpdate', data: { data: task, timestamp } };
  };
}

/**
 * Seed 003's Node `ws` server: `/ws`, a `connection` message on connect, `{type, data, timestamp}`
 * to every client, nothing read from clients, and the `/api/ws-test/*` endpoints that broadcast.
 * @category Mock server
 */
export function agentTrackerDialect(): ServerDialect {
  const shared = store();
  const routes: Record<string, (body: unknown, host: DialectHost) => HttpResponse> = {
    '/api/ws-test/simulate-agent-update': (body, host) => {
      const parsed = agentTrackerSchemas.http.simulateAgentUpdate.safeParse(body);
      if (!parsed.success) return jsonResponse(400, { error: 'agentId and status are required' });
      const agent = shared.agent(parsed.data.agentId, parsed.data.status, host.now());
      host.publish(channelFor('agentUpdate'), 'agentUpdate', { data: agent, timestamp: iso(host.now()) });
      return jsonResponse(200, { success: true, agent });
    },
    '/api/ws-test/simulate-task-creation': (body, host) => {
      const parsed = agentTrackerSchemas.http.simulateTaskCreation.safeParse(body);
      if (!parsed.success) return jsonResponse(400, { error: 'agentId, type and priority are required' });
      const task = shared.create(parsed.data.agentId, parsed.data.type, parsed.data.priority, host.now());
      host.publish(channelFor('taskUpdate'), 'taskUpdate', { data: task, timestamp: iso(host.now()) });
      return jsonResponse(200, { success: true, task });
    },
    '/api/ws-test/simulate-task-update': (body, host) => {
      const parsed = agentTrackerSchemas.http.simulateTaskUpdate.safeParse(body);
      if (!parsed.success) return jsonResponse(400, { error: 'taskId and status are required' });
      const task = shared.update(parsed.data.taskId, parsed.data.status, parsed.data.result, host.now());
      host.publish(channelFor('taskUpdate'), 'taskUpdate', { data: task, timestamp: iso(host.now()) });
      return jsonResponse(200, { success: true, task });
    },
    '/api/ws-test/broadcast-custom': (body, host) => {
      const parsed = agentTrackerSchemas.http.broadcastCustom.safeParse(body);
      if (!parsed.success) return jsonResponse(400, { error: 'type and data are required' });
      host.publish(channelFor(parsed.data.type), parsed.data.type, {
        data: parsed.data.data,
        timestamp: iso(host.now()),
      });
      return jsonResponse(200, { success: true });
    },
  };
  const http = (request: HttpRequest, host: DialectHost): HttpResponse | undefined => {
    if (request.path === '/api/ws-test/status') {
      return jsonResponse(200, {
        initialized: true,
        connectedClients: host.clients().length,
        timestamp: iso(host.now()),
      });
    }
    const route = routes[request.path];
    if (!route) return undefined;
    if (request.method !== 'POST') return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'POST' });
    return route(parseJson(request.body), host);
  };
  return {
    name: 'agentTracker',
    paths: ['/ws'],
    open(client, host) {
      client.send(
        JSON.stringify({
          type: 'connection',
          data: { status: 'connected', message: 'Connected to Portfolio Tracker WebSocket', clientId: client.id },
          timestamp: iso(host.now()),
        }),
      );
    },
    message() {},
    receives: () => true,
    encode(event) {
      const { timestamp, data } = envelope(event.data, iso(event.ts));
      return JSON.stringify({ type: event.type, data, timestamp });
    },
    feed: (random) => feed(random, shared),
    http,
  };
}
