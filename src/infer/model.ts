/**
 * Reads a recording and decides what its protocol looks like: the discriminator, the
 * envelope, one shape per message type, protocol frames, subscribe/ping templates, channels
 * and keys. Every decision keeps the counts behind it, for the generated comments.
 */
import { reservedEventNames } from '../events.js';
import { isRecord, parseJson } from '../protocol/json.js';
import type { Recording, RecordingEntry } from './recording.js';
import { emptyStats, observe, timeName, type ShapeStats } from './shape.js';

/** Keys tried as the message-type field, most usual first. */
export const discriminatorNames = ['type', 't', 'event', 'op', 'action', 'kind', 'e', 'msg_type', 'msgType', 'messageType', 'message_type', 'cmd', 'method', 'topic', 'channel'] as const;

const typeValue = /^[A-Za-z_][\w.:/@-]{0,63}$/;
const pongNames = /^(pong|ping|heartbeat|heartbeat_ack|keepalive|keep_alive|hb)$/i;
const errorNames = /^(error|err|errors|failure|exception|fault)$/i;
const welcomeNames = /^(welcome|connected|connection|hello|ready|init|session|connection_ack)$/i;
const clientPing = /^(ping|heartbeat|keepalive|keep_alive|hb)$/i;
const clientSubscribe = /^(subscribe|sub|join|listen|subscription|subscribe_request)$/i;
const clientUnsubscribe = /^(unsubscribe|unsub|leave|unlisten|unsubscribe_request)$/i;
const channelKeyNames = /^(channel|channels|topic|topics|stream|streams|room|rooms|feed|feeds|subject|subjects)$/i;
const idKeyNames = /^(id|req_?id|request_?id|ref|nonce|cid)$/i;

/** The discriminator chosen for a set of messages, and the evidence. */
export interface Discriminator {
  readonly key: string;
  /** Messages that carry it as a string. */
  readonly present: number;
  readonly total: number;
}

/**
 * The message-type field: the first of {@link discriminatorNames} that at least 90% of the
 * messages carry as a short identifier string; otherwise the string field carried that often
 * by most messages (ties: fewer distinct values, then name order); otherwise the known name
 * carried by most messages, if by at least half. `undefined` when no field qualifies.
 */
export function detectDiscriminator(messages: readonly Record<string, unknown>[]): Discriminator | undefined {
  if (messages.length === 0) return undefined;
  const counts = new Map<string, { present: number; values: Set<string> }>();
  for (const msg of messages) {
    for (const [key, value] of Object.entries(msg)) {
      if (typeof value !== 'string' || !typeValue.test(value)) continue;
      let c = counts.get(key);
      if (!c) counts.set(key, (c = { present: 0, values: new Set() }));
      c.present++;
      if (c.values.size < 256) c.values.add(value);
    }
  }
  const total = messages.length;
  for (const key of discriminatorNames) {
    const c = counts.get(key);
    if (c && c.present >= total * 0.9) return { key, present: c.present, total };
  }
  const ranked = [...counts.entries()]
    .filter(([, c]) => c.present >= total * 0.9 && c.values.size < Math.max(2, total))
    .sort(([ka, a], [kb, b]) => b.present - a.present || a.values.size - b.values.size || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const best = ranked[0];
  if (best) return { key: best[0], present: best[1].present, total };
  // Servers whose control frames carry no type (`{"op":10,"d":…}` beside `{"op":0,"t":"READY",…}`):
  // a known name on at least half the messages still types those; the rest decode as malformed.
  let partial: Discriminator | undefined;
  for (const key of discriminatorNames) {
    const c = counts.get(key);
    if (c && c.present >= total * 0.5 && c.present > (partial?.present ?? 0)) partial = { key, present: c.present, total };
  }
  return partial;
}

/** The server's messages of a frame: an object is one, an array of objects a batch. */
export function messagesOf(parsed: unknown): Record<string, unknown>[] {
  if (isRecord(parsed)) return [parsed];
  if (Array.isArray(parsed)) return parsed.filter(isRecord);
  return [];
}

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

/** A client frame to reproduce: the recorded object and where its variable parts go. */
export interface FrameTemplate {
  readonly frame: Record<string, unknown>;
  readonly count: number;
  /** Path of the channel name (a string or a one-item list), when the frame names one. */
  readonly channelPath: readonly string[] | undefined;
  readonly channelIsList: boolean;
  /** Where the subscription's params go: an object field named like params, else the object holding the channel. */
  readonly paramsPath: readonly string[];
  /** Path of a numeric request id, replaced by the client's id. */
  readonly idPath: readonly string[] | undefined;
  /** Paths of timestamps, refreshed when the frame is sent: `iso` (Z), `naive`, `s`, `ms`. */
  readonly times: readonly { readonly path: readonly string[]; readonly form: 'iso' | 'naive' | 's' | 'ms' }[];
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
  readonly frames: { readonly server: number; readonly client: number; readonly notJson: number; readonly batches: number; readonly messages: number; readonly untyped: number };
  readonly discriminator: Discriminator;
  readonly envelope: string;
  readonly types: readonly InferredType[];
  readonly client: {
    readonly discriminator: Discriminator | undefined;
    readonly ping: FrameTemplate | undefined;
    readonly subscribe: FrameTemplate | undefined;
    readonly unsubscribe: FrameTemplate | undefined;
    /** Client frame types the generator does not reproduce (auth…), with counts. */
    readonly other: readonly { readonly type: string; readonly count: number }[];
  };
  readonly channelMode: ChannelMode;
  /** Channel names, in order of first appearance; with their URL path in `endpoints` mode. */
  readonly channels: readonly { readonly name: string; readonly path?: string }[];
  /** `frames` mode: the message field that names its channel, when messages carry one (as subscribes do). */
  readonly channelField: string | undefined;
  readonly heartbeat: { readonly intervalMs: number; readonly timeoutMs: number; readonly reason: string };
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
  const client: { conn: number; t: number; msg: Record<string, unknown> }[] = [];
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
  const discriminator = detectDiscriminator(server.map((s) => s.msg));
  if (!discriminator) {
    throw new InferError(
      server.length === 0
        ? 'the recording has no JSON object frames from the server'
        : `no message-type field found in ${server.length} server messages (tried ${discriminatorNames.join(', ')})`,
    );
  }
  const key = discriminator.key;

  // Per type: counts, connections, URL paths and the payload shape.
  const acc = new Map<string, TypeAcc>();
  let untyped = 0;
  for (const { conn, msg } of server) {
    const type = msg[key];
    if (typeof type !== 'string') {
      untyped++;
      continue;
    }
    if (!firstServer.has(conn)) firstServer.set(conn, type);
    let a = acc.get(type);
    if (!a) acc.set(type, (a = { count: 0, conns: new Set(), firstOn: 0, perConn: new Map(), paths: new Map(), stats: emptyStats() }));
    a.count++;
    a.conns.add(conn);
    a.perConn.set(conn, (a.perConn.get(conn) ?? 0) + 1);
    const path = pathOf(connUrl.get(conn) ?? recording.header.url);
    a.paths.set(path, (a.paths.get(path) ?? 0) + 1);
    const { [key]: _type, ...payload } = msg;
    observe(a.stats, payload);
  }
  for (const [type, a] of acc) a.firstOn = [...firstServer.values()].filter((t) => t === type).length;

  const connections = new Set(recording.entries.map((e) => e.conn)).size;
  const clientModel = clientFramesModel(client);
  const paths = [...new Set([...connUrl.values()].map(pathOf))];
  const channelMode: ChannelMode = paths.length >= 2 ? 'endpoints' : clientModel.subscribe?.channelPath ? 'frames' : 'filter';

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
    const eventName = ((reservedEventNames as readonly string[]).includes(type) || type in Object.prototype) && role !== 'error' ? `${type}_message` : type;
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
        const match = channels.find((c) => normalise(type).startsWith(normalise(c.name)) || normalise(type).startsWith(normalise(c.name).replace(/s$/, '')));
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
  if (oncePerConn && welcomeNames.test(type)) return { role: 'welcome', reason: a.conns.size === 1 ? 'named like a welcome, once' : `named like a welcome, once on each of ${a.conns.size} connections` };
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
    wrapped * 2 > total ? `{${key}, ${[...wrapKeys.entries()].sort((x, y) => y[1] - x[1])[0]![0]}, …} (${wrapped}/${total} messages wrap their payload)` : `flat {${key}, …fields} (${total - wrapped}/${total} messages)`;
  return batches ? `${shape}; ${batches}/${frames} frames are arrays (batches) of messages` : shape;
}

const idLike = [/^id$/i, /(_id|Id|ID|_key|Key)$/, /^(symbol|asset|ticker|pair|instrument|market|coin|currency|strategy_name|strategy|name|slug|key|uuid)$/i];

/** A required scalar field named like an id, at the top or one object down (`data.id`). */
function keyOf(stats: ShapeStats): readonly string[] | undefined {
  const o = stats.objects;
  if (!o) return undefined;
  const scalar = (s: ShapeStats, total: number): boolean =>
    s.count === total && !s.objects && !s.arrays && !s.nulls && !s.booleans && (s.strings ? s.strings.isoZoned + s.strings.isoNaive < s.strings.count : true);
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
    if (f.count === o.count && f.objects && f.objects.count === f.count && !f.arrays && !f.strings && !f.numbers) scan(f.objects.fields, [name], f.objects.count);
  }
  candidates.sort((a, b) => a.tier - b.tier);
  return candidates[0]?.path;
}

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = isRecord(v) ? v[key] : undefined;
  return v;
}

function clientFramesModel(client: readonly { conn: number; t: number; msg: Record<string, unknown> }[]): InferredModel['client'] {
  const discriminator = detectDiscriminator(client.map((c) => c.msg));
  if (!discriminator) return { discriminator, ping: undefined, subscribe: undefined, unsubscribe: undefined, other: [] };
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const { msg } of client) {
    const type = msg[discriminator.key];
    if (typeof type !== 'string') continue;
    const list = groups.get(type) ?? [];
    list.push(msg);
    groups.set(type, list);
  }
  let ping: FrameTemplate | undefined;
  let subscribe: FrameTemplate | undefined;
  let unsubscribe: FrameTemplate | undefined;
  const other: { type: string; count: number }[] = [];
  for (const [type, frames] of groups) {
    if (!ping && clientPing.test(type)) ping = templateOf(frames, discriminator.key, false);
    else if (!subscribe && clientSubscribe.test(type)) subscribe = templateOf(frames, discriminator.key, true);
    else if (!unsubscribe && clientUnsubscribe.test(type)) unsubscribe = templateOf(frames, discriminator.key, true);
    else other.push({ type, count: frames.length });
  }
  return { discriminator, ping, subscribe, unsubscribe, other };
}

function templateOf(frames: readonly Record<string, unknown>[], disc: string, named: boolean): FrameTemplate {
  const frame = frames[0]!;
  let channelPath: string[] | undefined;
  let channelIsList = false;
  let idPath: string[] | undefined;
  const times: { path: string[]; form: 'iso' | 'naive' | 's' | 'ms' }[] = [];
  const walk = (value: Record<string, unknown>, prefix: string[], depth: number): void => {
    for (const [name, v] of Object.entries(value)) {
      const path = [...prefix, name];
      if (prefix.length === 0 && name === disc) continue;
      if (named && !channelPath && channelKeyNames.test(name) && (typeof v === 'string' || (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string'))) {
        channelPath = path;
        channelIsList = Array.isArray(v);
      } else if (!idPath && idKeyNames.test(name) && typeof v === 'number') {
        idPath = path;
      } else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) {
        times.push({ path, form: /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? 'iso' : 'naive' });
      } else if (typeof v === 'number' && Number.isInteger(v) && timeName.test(name) && v >= 1e9) {
        times.push({ path, form: v >= 1e12 ? 'ms' : 's' });
      } else if (isRecord(v) && depth < 2) {
        walk(v, path, depth + 1);
      }
    }
  };
  walk(frame, [], 0);
  // No channel field by name: a string that differs between the recorded frames names it.
  if (named && !channelPath && frames.length >= 2) {
    for (const [name, v] of Object.entries(frame)) {
      if (name === disc || typeof v !== 'string') continue;
      if (new Set(frames.map((f) => f[name])).size > 1) {
        channelPath = [name];
        break;
      }
    }
  }
  const paramsKey = Object.keys(frame).find((k) => /^(params|args|arguments|options|filters?)$/i.test(k) && isRecord(frame[k]));
  const paramsPath = paramsKey !== undefined ? [paramsKey] : channelPath ? channelPath.slice(0, -1) : [];
  return { frame, count: frames.length, channelPath, channelIsList, paramsPath, idPath, times };
}

function heartbeatOf(
  ping: FrameTemplate | undefined,
  client: readonly { conn: number; t: number; msg: Record<string, unknown> }[],
  disc: Discriminator | undefined,
  maxGap: number,
): InferredModel['heartbeat'] {
  if (ping && disc) {
    const pingType = ping.frame[disc.key];
    const byConn = new Map<number, number[]>();
    for (const c of client) if (c.msg[disc.key] === pingType) byConn.set(c.conn, [...(byConn.get(c.conn) ?? []), c.t]);
    const gaps = [...byConn.values()].flatMap((ts) => ts.slice(1).map((t, i) => t - ts[i]!)).sort((a, b) => a - b);
    if (gaps.length > 0) {
      const median = gaps[Math.floor(gaps.length / 2)]!;
      const intervalMs = Math.max(1_000, Math.round(median / 1000) * 1000);
      return { intervalMs, timeoutMs: Math.max(5_000, Math.round(intervalMs / 2)), reason: `ping every ${intervalMs} ms: median of ${gaps.length} recorded ping gaps` };
    }
    return { intervalMs: 30_000, timeoutMs: 15_000, reason: `the recording has ${ping.count} ping(s) but no interval between two: a 30 s default` };
  }
  const watch = Math.max(60_000, Math.ceil((maxGap * 3) / 1000) * 1000);
  return { intervalMs: watch, timeoutMs: 30_000, reason: `no client ping recorded: idle watchdog at 3 × the longest recorded silence (${maxGap} ms), at least 60 s` };
}

/** Entries of one kind, for callers that walk a recording themselves. */
export function framesOf(recording: Recording, kind: 'in' | 'out'): Extract<RecordingEntry, { kind: 'in' | 'out' }>[] {
  return recording.entries.filter((e): e is Extract<RecordingEntry, { kind: 'in' | 'out' }> => e.kind === kind);
}
