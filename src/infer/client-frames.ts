/**
 * The client side of a recording: which frames are pings, subscribes and unsubscribes, the
 * templates that reproduce them, and the heartbeat timing they imply.
 */
import { isRecord } from '../protocol/json.js';
import { detectDiscriminator, type Discriminator } from './discriminator.js';
import { timeName } from './shape.js';

const clientPing = /^(ping|heartbeat|keepalive|keep_alive|hb)$/i;
/** Client message types that subscribe. */
export const clientSubscribe = /^(subscribe|sub|join|listen|subscription|subscribe_request)$/i;
const clientUnsubscribe = /^(unsubscribe|unsub|leave|unlisten|unsubscribe_request)$/i;
const channelKeyNames = /^(channel|channels|topic|topics|stream|streams|room|rooms|feed|feeds|subject|subjects)$/i;
const idKeyNames = /^(id|req_?id|request_?id|ref|nonce|cid)$/i;

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

/** One recorded client frame that is a JSON object. */
export interface ClientFrame {
  readonly conn: number;
  readonly t: number;
  readonly msg: Record<string, unknown>;
}

/** What the client sent, as the generator needs it. */
export interface ClientFrames {
  readonly discriminator: Discriminator | undefined;
  readonly ping: FrameTemplate | undefined;
  readonly subscribe: FrameTemplate | undefined;
  readonly unsubscribe: FrameTemplate | undefined;
  /** Client frame types the generator does not reproduce (auth…), with counts. */
  readonly other: readonly { readonly type: string; readonly count: number }[];
}

/** Heartbeat timing for the preset, and why. */
export interface InferredHeartbeat {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly reason: string;
}

/** Sorts the client's frames into ping, subscribe, unsubscribe and the rest, each with a template. */
export function clientFramesModel(client: readonly ClientFrame[]): ClientFrames {
  const discriminator = detectDiscriminator(client.map((c) => c.msg));
  if (!discriminator)
    return { discriminator, ping: undefined, subscribe: undefined, unsubscribe: undefined, other: [] };
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

/** The first recorded frame of a kind, with where its channel, id and timestamps sit. */
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
      if (
        named &&
        !channelPath &&
        channelKeyNames.test(name) &&
        (typeof v === 'string' || (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string'))
      ) {
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
  const paramsKey = Object.keys(frame).find(
    (k) => /^(params|args|arguments|options|filters?)$/i.test(k) && isRecord(frame[k]),
  );
  const paramsPath = paramsKey !== undefined ? [paramsKey] : channelPath ? channelPath.slice(0, -1) : [];
  return { frame, count: frames.length, channelPath, channelIsList, paramsPath, idPath, times };
}

/** From recorded ping gaps, or an idle watchdog from the longest recorded silence. */
export function heartbeatOf(
  ping: FrameTemplate | undefined,
  client: readonly ClientFrame[],
  disc: Discriminator | undefined,
  maxGap: number,
): InferredHeartbeat {
  if (ping && disc) {
    const pingType = ping.frame[disc.key];
    const byConn = new Map<number, number[]>();
    for (const c of client) if (c.msg[disc.key] === pingType) byConn.set(c.conn, [...(byConn.get(c.conn) ?? []), c.t]);
    const gaps = [...byConn.values()].flatMap((ts) => ts.slice(1).map((t, i) => t - ts[i]!)).sort((a, b) => a - b);
    if (gaps.length > 0) {
      const median = gaps[Math.floor(gaps.length / 2)]!;
      const intervalMs = Math.max(1_000, Math.round(median / 1000) * 1000);
      return {
        intervalMs,
        timeoutMs: Math.max(5_000, Math.round(intervalMs / 2)),
        reason: `ping every ${intervalMs} ms: median of ${gaps.length} recorded ping gaps`,
      };
    }
    return {
      intervalMs: 30_000,
      timeoutMs: 15_000,
      reason: `the recording has ${ping.count} ping(s) but no interval between two: a 30 s default`,
    };
  }
  const watch = Math.max(60_000, Math.ceil((maxGap * 3) / 1000) * 1000);
  return {
    intervalMs: watch,
    timeoutMs: 30_000,
    reason: `no client ping recorded: idle watchdog at 3 × the longest recorded silence (${maxGap} ms), at least 60 s`,
  };
}
