import * as z from 'zod';
import { defineEvents, type EventCatalog, type RejectReserved, type WithChannels } from '../../events.js';
import { keepExtras } from '../../protocol/keep-extras.js';
import { defineProtocol } from '../../protocol/define.js';
import type { HeartbeatOptions, Inbound, Protocol, SubscriptionParams } from '../../protocol/types.js';
import {
  allowed,
  errorItem,
  jsonDate,
  keysWithout,
  readTypedFrame,
  typesOf,
  withEvents,
  withoutType,
  type WithEvents,
} from '../shared.js';
import { agentTrackerChannels } from './channels.js';

/**
 * `{data, timestamp}`: a frame without its `type`. The backend's `WebSocketMessage` interface
 * declares both; `timestamp` is a JS `Date` after JSON.stringify.
 */
const envelope = <S extends z.ZodType>(data: S) => keepExtras({ data, timestamp: jsonDate });

/**
 * An agent as the store broadcasts it. Its description never prints one: `status` is what
 * `updateAgent('monitoring-agent', { status: 'active' })` changes, and the agent's id may be
 * `id` or `agentId` (the test endpoints say `agentId`), so every field is optional and the
 * rest is kept. Pass `events: { agentUpdate: … }` when you know your store's shape.
 * @category Presets
 */
export const agentSchema = keepExtras({
  id: z.string().optional(),
  agentId: z.string().optional(),
  status: z.string().optional(),
});

/**
 * A task as the store broadcasts it. Never printed either: the fields the test endpoints'
 * bodies name (`agentId`, `type`, `priority` on creation; `taskId`, `status`, `result` on
 * update) are optional and typed, the rest is kept.
 * @category Presets
 */
export const taskSchema = keepExtras({
  id: z.string().optional(),
  taskId: z.string().optional(),
  agentId: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  priority: z.string().optional(),
  result: z.unknown().optional(),
});

/**
 * The agent tracker (Node `ws`, `/ws`): what handlers receive — `{data, timestamp}`. `connection` data
 * ("connection status messages") is never shown, so it is `unknown`; `portfolioUpdate` is the
 * backend's one example of a custom broadcast (`{"totalValue": 125000.50}`), so `totalValue` is
 * optional. Other custom types arrive as `unknown` until you declare them (`events`).
 * @category Presets
 */
export const agentTrackerEvents = defineEvents({
  agentUpdate: envelope(agentSchema),
  taskUpdate: envelope(taskSchema),
  /** "Connection status messages"; also decoded as the protocol's `welcome`. */
  connection: envelope(z.unknown()),
  portfolioUpdate: envelope(keepExtras({ totalValue: z.number().optional() })),
});

/** The catalogue type of {@link agentTracker}. Its channels: a channel name, or a message type taken as its own channel. @category Presets */
export type AgentTrackerEvents = WithChannels<
  typeof agentTrackerEvents,
  keyof typeof agentTrackerChannels | 'all' | Extract<keyof typeof agentTrackerEvents, string>
>;

export { agentTrackerChannels };

/** Options of {@link agentTracker}. @category Presets */
export interface AgentTrackerOptions<O extends EventCatalog = {}> {
  /**
   * Your schemas, as `{data, timestamp}` envelopes: for custom broadcast types
   * (`broadcastCustomMessage(type, data)`), or in place of the preset's guess for a type
   * (`{ agentUpdate: … }`), typed. @default none
   */
  readonly events?: O & RejectReserved<O>;
  /** Older name of `events`, for custom broadcast types only. @default none */
  readonly custom?: O & RejectReserved<O>;
  /**
   * Idle watchdog (the server's ping/pong is WebSocket-level and invisible to a browser):
   * no frame for `intervalMs + timeoutMs` means a dead link. `intervalMs: 0` turns it off.
   * @default { intervalMs: 240000, timeoutMs: 60000 } — five quiet minutes
   */
  readonly heartbeat?: Partial<HeartbeatOptions>;
}

/** Defaults of {@link agentTracker}. @category Presets */
export const agentTrackerDefaults = {
  // Updates only come when an agent or task changes: minutes of quiet are normal. The `ws`
  // server's own protocol pings keep the socket and drop dead peers on its side; this only
  // replaces a link silent for so long that it is most likely gone.
  heartbeat: { intervalMs: 240_000, timeoutMs: 60_000 },
} as const;

/** Channel picks types (`all` every type); `params.agentId` (string or list) keeps those agents' updates and tasks. */
function matches(channel: string, params: SubscriptionParams, type: string, data: unknown): boolean {
  if (channel !== 'all' && !typesOf(agentTrackerChannels, channel).includes(type)) return false;
  const inner = (data as { data?: { id?: unknown; agentId?: unknown } }).data;
  if (type === 'agentUpdate') return allowed(params, 'agentId', inner?.id ?? inner?.agentId);
  if (type === 'taskUpdate') return allowed(params, 'agentId', inner?.agentId);
  return true;
}

function decode(frame: string): Inbound[] {
  const read = readTypedFrame(frame);
  if (!read.ok) return [read.item];
  const { type, msg } = read;
  if (type === 'error') return [errorItem(msg)];
  const event: Inbound = { kind: 'event', type, data: withoutType(msg) };
  // Both: the client's welcome handling, and an event so the app can show the status.
  return type === 'connection' ? [{ kind: 'welcome', data: msg.data }, event] : [event];
}

/**
 * Preset for the Node `ws` agent/task tracker: `{type, data, timestamp}` frames on
 * `/ws` (`agentUpdate`, `taskUpdate`, `connection`, custom types), nothing sent by the client.
 * Channels are client-side filters (`agents`, `tasks`, `all`, or a type name; params `{ agentId }`).
 *
 * ```ts
 * const client = createClient({ url: 'ws://localhost:4000/ws', protocol: presets.agentTracker() });
 * client.on('agentUpdate', (m) => m.data.status);
 * ```
 * @category Presets
 */
export function agentTracker(): Protocol<AgentTrackerEvents>;
export function agentTracker<const O extends EventCatalog = {}>(
  options: AgentTrackerOptions<O>,
): Protocol<WithEvents<AgentTrackerEvents, O>>;
export function agentTracker(options: AgentTrackerOptions<EventCatalog> = {}): Protocol<EventCatalog> {
  const override = options.events || options.custom ? { ...options.custom, ...options.events } : undefined;
  const keys = {
    agentUpdate: (m: z.output<typeof agentTrackerEvents.agentUpdate>) => String(m.data.id ?? m.data.agentId),
    taskUpdate: (m: z.output<typeof agentTrackerEvents.taskUpdate>) => String(m.data.id ?? m.data.taskId),
  };
  return defineProtocol<EventCatalog>({
    name: 'agentTracker',
    channels: Object.keys(agentTrackerChannels),
    events: withEvents(agentTrackerEvents, override),
    decode,
    encodeSubscribe: () => null,
    encodeUnsubscribe: () => null,
    encodePing: () => null,
    heartbeat: { ...agentTrackerDefaults.heartbeat, ...options.heartbeat },
    acks: false,
    resumable: false,
    matches,
    keys: keysWithout(keys, override) as Protocol<EventCatalog>['keys'],
  });
}
