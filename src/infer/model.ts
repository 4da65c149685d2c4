/**
 * Reads a recording and decides what its protocol looks like: the discriminator, the
 * envelope, one shape per message type, protocol frames, subscribe/ping templates, channels
 * and keys. Every decision keeps the counts behind it, for the generated comments.
 */
import { reservedEventNames } from '../events.js';
import { isRecord, parseJson } from '../protocol/json.js';
import type { Recording } from './recording.js';
import {
  clientFramesModel,
  clientSubscribe,
  heartbeatOf,
  type ClientFrame,
  type ClientFrames,
  type InferredHeartbeat,
} from './client-frames.js';
import {
  detectDiscriminator,
  detectNesting,
  discriminatorNames,
  messagesOf,
  type Discriminator,
  type NestedTypes,
} from './discriminator.js';
import { emptyStats, observe, type ShapeStats } from './shape.js';

const pongNames = /^(pong|ping|heartbeat|heartbeat_ack|keepalive|keep_alive|hb)$/i;
const errorNames = /^(error|err|errors|failure|exception|fault)$/i;
const welcomeNames = /^(welcome|connected|connection|hello|ready|init|session|connection_ack)$/i;

/** How a message type is handled by the generated decode. */
export type TypeRole = 'event' | 'welcome' | 'pong' | 'error';

/** One server message type. */
export interface InferredType {
  /** Value of the discriminator on the wire. */
  readonly type: string;
  /** Name in the catalogue (differs only for reserved names). */
  readonly eventName: string;
  readonly role: TypeRole;
  /** Why it got its role (for the comment). */
  readonly roleReason: string;
  /** Frames of this type. */
  readonly count: number;
  /** Connections it appeared on. */
  readonly connections: number;
  /** The payload: the message without its discriminator. */
  readonly stats: ShapeStats;
  /** Field path of the guessed `client.latest()` key. */
  readonly key: readonly string[] | undefined;
  /** Channel the decode assigns from the type, when the recording shows one (see also `channelField`). */
  readonly channel: string | undefined;
  readonly channelReason: string | undefined;
}

/** How subscriptions reach the server. */
export type ChannelMode =
  /** Subscribe frames name a channel. */
  | 'frames'
  /** One URL path per channel (a connection per feed). */
  | 'endpoints'
  /** Nothing on the wire: each message type is a client-side channel. */
  | 'filter';

/** Everything the generator needs. */
export interface InferredModel {
  readonly url: string;
  readonly connections: number;
  readonly frames: {
    readonly server: number;
    readonly client: number;
    readonly notJson: number;
    readonly batches: number;
    readonly messages: number;
    readonly untyped: number;
  };
  readonly discriminator: Discriminator;
  /** Two-level types: for these values of the discriminator, the type is in `inner.inner`. */
  readonly inner: Omit<NestedTypes, 'outer'> | undefined;
  readonly envelope: string;
  readonly types: readonly InferredType[];
  readonly client: ClientFrames;
  readonly channelMode: ChannelMode;
  /** Channel names, in order of first appearance; with their URL path in `endpoints` mode. */
  readonly channels: readonly { readonly name: string; readonly path?: string }[];
  /** `frames` mode: the message field that names its channel, when messages carry one (as subscribes do). */
  readonly channelField: string | undefined;
  readonly heartbeat: InferredHeartbeat;
}

/** Thrown when a recording holds nothing to infer from. */
export class InferError extends Error {
  override readonly name = 'InferError';
}

interface TypeAcc {
  count: number;
  conns: Set<number>;
  firstOn: number;
  perConn: Map<number, number>;
  paths: Map<string, number>;
  stats: ShapeStats;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

function lastSegment(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? 'root';
}

const normalise = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Builds the model of a recording. Throws {@link InferError} when it has no typed server message. */
export function inferModel(recording: Recording): InferredModel {
  const connUrl = new Map<number, string>();
  const firstServer = new Map<number, string>();
  const server: { conn: number; msg: Record<string, unknown> }[] = [];
  const client: ClientFrame[] = [];
  const lastIn = new Map<number, number>();
  let maxGap = 0;
  let serverFrames = 0;
  let clientFrames = 0;
  let notJson = 0;
  let batches = 0;
  for (const entry of recording.entries) {
    if (entry.kind === 'connect') connUrl.set(entry.conn, entry.url);
    if (entry.kind !== 'in' && entry.kind !== 'out') continue;
    const parsed = parseJson(entry.frame);
    if (parsed === undefined) {
      notJson++;
      continue;
    }
    if (entry.kind === 'out') {
      clientFrames++;
      if (isRecord(parsed)) client.push({ conn: entry.conn, t: entry.t, msg: parsed });
      continue;
    }
    serverFrames++;
    const prior = lastIn.get(entry.conn);
    if (prior !== undefined) maxGap = Math.max(maxGap, entry.t - prior);
    lastIn.set(entry.conn, entry.t);
    if (Array.isArray(parsed)) batches++;
    for (const msg of messagesOf(parsed)) server.push({ conn: entry.conn, msg });
  }
  const chosen = detectDiscriminator(server.map((s) => s.msg));
  if (!chosen) {
    throw new InferError(
      server.length === 0
        ? 'the recording has no JSON object frames from the server'
        : `no message-type field found in ${server.length} server messages (tried ${discriminatorNames.join(', ')})`,
    );
  }
  const nested = detectNesting(
    server.map((s) => s.msg),
    chosen,
  );
  const discriminator = nested?.outer ?? chosen;
  const inner = nested ? { inner: nested.inner, values: nested.values } : undefined;
  const key = discriminator.key;
  /** The message's type and payload (without the type fields), or `undefined` when it has none. */
  const split = (msg: Record<string, unknown>): { type: string; payload: Record<string, unknown> } | undefined => {
    const { [key]: outer, ...rest } = msg;
    if (typeof outer !== 'string') return undefined;
    if (!inner || !inner.values.includes(outer)) return { type: outer, payload: rest };
    const { [inner.inner]: type, ...payload } = rest;
    return typeof type === 'string' ? { type, payload } : undefined;
  };

  // Per type: counts, connections, URL paths and the payload shape.
  const acc = new Map<string, TypeAcc>();
  let untyped = 0;
  for (const { conn, msg } of server) {
    const parts = split(msg);
    if (!parts) {
      untyped++;
      continue;
    }
    const { type } = parts;
    if (!firstServer.has(conn)) firstServer.set(conn, type);
    let a = acc.get(type);
    if (!a)
      acc.set(
        type,
        (a = { count: 0, conns: new Set(), firstOn: 0, perConn: new Map(), paths: new Map(), stats: emptyStats() }),
      );
    a.count++;
    a.conns.add(conn);
    a.perConn.set(conn, (a.perConn.get(conn) ?? 0) + 1);
    const path = pathOf(connUrl.get(conn) ?? recording.header.url);
    a.paths.set(path, (a.paths.get(path) ?? 0) + 1);
    observe(a.stats, parts.payload);
  }
  for (const [type, a] of acc) a.firstOn = [...firstServer.values()].filter((t) => t === type).length;

  const connections = new Set(recording.entries.map((e) => e.conn)).size;
  const clientModel = clientFramesModel(client);
  const paths = [...new Set([...connUrl.values()].map(pathOf))];
  const channelMode: ChannelMode =
    paths.length >= 2 ? 'endpoints' : clientModel.subscribe?.channelPath ? 'frames' : 'filter';

  const channels: { name: string; path?: string }[] = [];
  if (channelMode === 'endpoints') {
    const names = new Set<string>();
    for (const path of paths) {
      const name = names.has(lastSegment(path)) ? path : lastSegment(path);
      names.add(name);
      channels.push({ name, path });
    }
  } else if (channelMode === 'frames') {
    const seen = new Set<string>();
    for (const { msg } of client) {
      if (clientModel.discriminator && !clientSubscribe.test(String(msg[clientModel.discriminator.key]))) continue;
      const value = at(msg, clientModel.subscribe!.channelPath!);
      for (const name of Array.isArray(value) ? value : [value]) {
        if (typeof name === 'string' && !seen.has(name)) {
          seen.add(name);
          channels.push({ name });
        }
      }
    }
  }

  // Messages that carry the subscribe frame's channel field (`{"channel":"trades",…}`) say their channel themselves.
  const channelKey = channelMode === 'frames' ? clientModel.subscribe!.channelPath!.at(-1)! : undefined;
  const carries = (a: TypeAcc): boolean => {
    const f = channelKey === undefined ? undefined : a.stats.objects?.fields.get(channelKey);
    return f !== undefined && f.count === a.count && f.strings?.count === f.count;
  };
  const channelField = channelKey !== undefined && [...acc.values()].some(carries) ? channelKey : undefined;

  const types: InferredType[] = [];
  for (const [type, a] of acc) {
    const { role, reason } = roleOf(type, a, connections);
    // Names of Object.prototype members (`constructor`, `__proto__`…) break catalogue and `keys` literals.
    const eventName =
      ((reservedEventNames as readonly string[]).includes(type) || type in Object.prototype) && role !== 'error'
        ? `${type}_message`
        : type;
    let channel: string | undefined;
    let channelReason: string | undefined;
    if (role === 'event' || role === 'welcome') {
      if (channelMode === 'endpoints') {
        const [bestPath, n] = [...a.paths.entries()].sort((x, y) => y[1] - x[1])[0]!;
        channel = channels.find((c) => c.path === bestPath)?.name;
        channelReason = `received on ${bestPath} (${n}/${a.count})`;
      } else if (channelField !== undefined && carries(a)) {
        channelReason = `the message's "${channelField}" field (${a.count}/${a.count})`;
      } else if (channelMode === 'frames') {
        const match = channels.find(
          (c) =>
            normalise(type).startsWith(normalise(c.name)) ||
            normalise(type).startsWith(normalise(c.name).replace(/s$/, '')),
        );
        channel = match?.name;
        channelReason = match ? `type name starts with "${match.name}"` : 'no subscribed channel matches the type name';
      } else {
        channel = type;
        channelReason = 'client-side channel named after the type';
      }
    }
    types.push({
      type,
      eventName,
      role,
      roleReason: reason,
      count: a.count,
      connections: a.conns.size,
      stats: a.stats,
      key: role === 'event' || role === 'welcome' ? keyOf(a.stats) : undefined,
      channel: role === 'welcome' && channelMode !== 'endpoints' ? undefined : channel,
      channelReason,
    });
  }

  const envelope = envelopeOf(types, discriminator.key, batches, serverFrames);
  const heartbeat = heartbeatOf(clientModel.ping, client, clientModel.discriminator, maxGap);
  return {
    url: recording.header.url,
    connections,
    frames: { server: serverFrames, client: clientFrames, notJson, batches, messages: server.length, untyped },
    discriminator,
    inner,
    envelope,
    types,
    client: clientModel,
    channelMode,
    channels,
    channelField,
    heartbeat,
  };
}

function roleOf(type: string, a: TypeAcc, connections: number): { role: TypeRole; reason: string } {
  if (errorNames.test(type)) return { role: 'error', reason: 'named like an error' };
  if (pongNames.test(type)) return { role: 'pong', reason: 'named like a heartbeat reply' };
  const oncePerConn = [...a.perConn.values()].every((n) => n === 1);
  if (oncePerConn && welcomeNames.test(type))
    return {
      role: 'welcome',
      reason:
        a.conns.size === 1
          ? 'named like a welcome, once'
          : `named like a welcome, once on each of ${a.conns.size} connections`,
    };
  if (oncePerConn && a.firstOn === a.conns.size && a.conns.size >= 2 && a.conns.size === connections) {
    return { role: 'welcome', reason: `first frame, once, on all ${connections} connections` };
  }
  return { role: 'event', reason: '' };
}

function envelopeOf(types: readonly InferredType[], key: string, batches: number, frames: number): string {
  let wrapped = 0;
  let total = 0;
  const wrapKeys = new Map<string, number>();
  for (const t of types) {
    const o = t.stats.objects;
    if (!o) continue;
    total += o.count;
    for (const name of ['data', 'd', 'payload', 'body', 'params', 'result']) {
      const f = o.fields.get(name);
      if (f && f.count === o.count) {
        wrapped += o.count;
        wrapKeys.set(name, (wrapKeys.get(name) ?? 0) + o.count);
        break;
      }
    }
  }
  const shape =
    wrapped * 2 > total
      ? `{${key}, ${[...wrapKeys.entries()].sort((x, y) => y[1] - x[1])[0]![0]}, …} (${wrapped}/${total} messages wrap their payload)`
      : `flat {${key}, …fields} (${total - wrapped}/${total} messages)`;
  return batches ? `${shape}; ${batches}/${frames} frames are arrays (batches) of messages` : shape;
}

const idLike = [
  /^id$/i,
  /(_id|Id|ID|_key|Key)$/,
  /^(symbol|asset|ticker|pair|instrument|market|coin|currency|strategy_name|strategy|name|slug|key|uuid)$/i,
];

/** A required scalar field named like an id, at the top or one object down (`data.id`). */
function keyOf(stats: ShapeStats): readonly string[] | undefined {
  const o = stats.objects;
  if (!o) return undefined;
  const scalar = (s: ShapeStats, total: number): boolean =>
    s.count === total &&
    !s.objects &&
    !s.arrays &&
    !s.nulls &&
    !s.booleans &&
    (s.strings ? s.strings.isoZoned + s.strings.isoNaive < s.strings.count : true);
  const candidates: { path: string[]; tier: number }[] = [];
  const scan = (fields: Map<string, ShapeStats>, prefix: string[], total: number): void => {
    for (const [name, f] of fields) {
      if (name === '__proto__') continue;
      const tier = idLike.findIndex((re) => re.test(name));
      if (tier !== -1 && scalar(f, total)) candidates.push({ path: [...prefix, name], tier: tier * 2 + prefix.length });
    }
  };
  scan(o.fields, [], o.count);
  for (const [name, f] of o.fields) {
    if (f.count === o.count && f.objects && f.objects.count === f.count && !f.arrays && !f.strings && !f.numbers)
      scan(f.objects.fields, [name], f.objects.count);
  }
  candidates.sort((a, b) => a.tier - b.tier);
  return candidates[0]?.path;
}

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = isRecord(v) ? v[key] : undefined;
  return v;
}
