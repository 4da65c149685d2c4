/**
 * A server dialect that plays back a session recording (`dashwire tail --record`): each
 * client that connects on a recorded path gets the server frames of a recorded connection
 * on that path, in their recorded rhythm, and recorded requests get their recorded replies.
 * Frames go through the engine, so every fault (drop, refuse, silence, raw frames, delay) works.
 */
import { readFileSync } from 'node:fs';
import { detectDiscriminator, messagesOf } from '../infer/discriminator.js';
import { parseRecording, type Recording, type RecordingEntry } from '../infer/recording.js';
import { isRecord, parseJson, stableStringify } from '../protocol/json.js';
import type { FeedClient, FeedSource, ServerDialect } from '../server/dialect.js';
import { unrefTimer } from '../timers.js';

/** Options of a replaying mock server (`createMockServer({ replay })`). @category Mock server */
export interface ReplayOptions {
  /** The recording: a parsed one, or its NDJSON text. Give this or `path`. */
  readonly recording?: Recording | string;
  /** Path of an NDJSON recording file. */
  readonly path?: string;
  /** Playback speed: 2 plays twice as fast. @default 1 */
  readonly speed?: number;
  /** Start again from the first frame after the last one, instead of going quiet. @default false */
  readonly loop?: boolean;
}

/** Defaults of {@link ReplayOptions}. @category Mock server */
export const replayDefaults = {
  speed: 1,
  loop: false,
  /** A server frame this soon after a client frame may be its reply, in recorded ms. */
  replyWindowMs: 2_000,
} as const;

/** One recorded connection, split into what the server sent unprompted and what it answered. */
interface Script {
  readonly path: string;
  /** Unprompted server frames, `at` ms after the recorded open. */
  readonly timeline: readonly { readonly at: number; readonly frame: string }[];
  /** Recorded client requests, each with the frames that answered it. */
  readonly replies: readonly { readonly request: string; readonly key: string; readonly frames: readonly string[] }[];
  /** A close the server made, `at` ms after open. */
  readonly close: { readonly at: number; readonly code: number; readonly reason: string } | undefined;
  /** Length of one pass, for `loop`. */
  readonly duration: number;
}

/** Keys that tie a reply to its request. */
const idKey = /^(id|req_?id|request_?id|ref|nonce|cid)$/i;
/** Keys whose values differ between two sends of the same request: ids, cursors, timestamps. */
const volatile = new RegExp(`${idKey.source}|^(seq|since|ts|time|timestamp)$`, 'i');

/** What makes two client frames "the same request": the JSON without ids and timestamps, keys sorted. */
function requestKey(frame: string): string {
  const parsed = parseJson(frame);
  if (parsed === undefined) return `text:${frame}`;
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (!isRecord(value)) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !volatile.test(k))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return stableStringify(strip(parsed));
}

/** The request's keys matching `pattern` whose value the reply carries unchanged: what it echoes. */
function echoed(reply: Record<string, unknown>, request: Record<string, unknown>, pattern: RegExp): string[] {
  return Object.keys(request).filter((key) => pattern.test(key) && key in reply && reply[key] === request[key]);
}

/** The reply with the recorded request's id swapped for the live request's (acks and pongs correlate by it). */
function withLiveId(reply: string, recorded: string, live: string): string {
  const a = parseJson(recorded);
  const b = parseJson(live);
  const r = parseJson(reply);
  if (!isRecord(a) || !isRecord(b) || !isRecord(r)) return reply;
  const swapped = echoed(r, a, volatile).filter((key) => b[key] !== undefined);
  return swapped.length === 0 ? reply : JSON.stringify({ ...r, ...Object.fromEntries(swapped.map((k) => [k, b[k]])) });
}

/** Whether a frame says `word`: is it, or has it as a top-level string value (`{"op":"ping"}`). */
function says(frame: string, word: string): boolean {
  const parsed = parseJson(frame) ?? frame;
  const values = isRecord(parsed) ? Object.values(parsed) : Array.isArray(parsed) ? parsed : [parsed];
  return values.some((v) => typeof v === 'string' && v.toLowerCase() === word);
}

/**
 * Whether a server frame's content ties it to a client frame: it carries the same value under one
 * of the request's id keys (`id`, `ref`, `req_id`…), or the request is a ping and it a pong.
 */
function answers(reply: string, request: string): boolean {
  if (says(request, 'ping') && says(reply, 'pong')) return true;
  const r = parseJson(reply);
  const q = parseJson(request);
  return isRecord(r) && isRecord(q) && echoed(r, q, idKey).length > 0;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

/**
 * Splits each recorded connection. A server message type counts as a reply when every frame
 * of it answered a client frame, within {@link replayDefaults.replyWindowMs}: came first after
 * it, or (a busy feed's frames got in between) echoes its id or is the pong of its ping. Pongs,
 * acks, errors. Everything else is the timeline, replayed by the clock. A reply goes with the
 * last client frame before it.
 */
function scriptsOf(recording: Recording): Script[] {
  const byConn = new Map<number, RecordingEntry[]>();
  for (const entry of recording.entries) byConn.set(entry.conn, [...(byConn.get(entry.conn) ?? []), entry]);
  const messages = recording.entries.flatMap((e) => (e.kind === 'in' ? messagesOf(parseJson(e.frame)) : []));
  const disc = detectDiscriminator(messages)?.key;
  const kindOf = (frame: string): string => {
    const parsed = parseJson(frame);
    const first = messagesOf(parsed)[0];
    if (disc && first && typeof first[disc] === 'string') return `${Array.isArray(parsed) ? '[]' : ''}${first[disc]}`;
    return parsed === undefined ? 'text' : `keys:${first ? Object.keys(first).sort().join(',') : typeof parsed}`;
  };
  // Per kind: how many frames, and how many answered a client frame.
  const seen = new Map<string, { all: number; answering: number }>();
  for (const entries of byConn.values()) {
    let lastOut: { t: number; frame: string } | undefined;
    /** Kinds already seen since the last client frame: only the first of each can answer it. */
    const sinceOut = new Set<string>();
    let first = true;
    for (const e of entries) {
      if (e.kind === 'out') {
        lastOut = { t: e.t, frame: e.frame };
        sinceOut.clear();
      }
      if (e.kind !== 'in') continue;
      const kind = kindOf(e.frame);
      const s = seen.get(kind) ?? { all: 0, answering: 0 };
      s.all++;
      seen.set(kind, s);
      // The first frame of a connection is the server's own (a welcome), even when a frame
      // the client sent on open got there first.
      if (!first && lastOut && e.t - lastOut.t <= replayDefaults.replyWindowMs && !sinceOut.has(kind)) {
        // It answers when it came first, or, on a busy feed where other frames get in between,
        // when its content ties it to the request: it echoes the request's id, or it is the pong of a ping.
        if (sinceOut.size === 0 || answers(e.frame, lastOut.frame)) s.answering++;
      }
      sinceOut.add(kind);
      first = false;
    }
  }
  const isReply = (frame: string): boolean => {
    const s = seen.get(kindOf(frame));
    return s !== undefined && s.answering === s.all;
  };

  const scripts: Script[] = [];
  for (const entries of byConn.values()) {
    const connect = entries.find((e) => e.kind === 'connect');
    const open = entries.find((e) => e.kind === 'open');
    if (!connect || connect.kind !== 'connect' || !open) continue;
    const timeline: { at: number; frame: string }[] = [];
    const replies: { request: string; key: string; frames: string[] }[] = [];
    let pending: { request: string; key: string; frames: string[] } | undefined;
    let close: Script['close'];
    for (const e of entries) {
      if (e.kind === 'out') {
        pending = { request: e.frame, key: requestKey(e.frame), frames: [] };
        replies.push(pending);
      } else if (e.kind === 'in') {
        if (pending && isReply(e.frame)) pending.frames.push(e.frame);
        else timeline.push({ at: Math.max(0, e.t - open.t), frame: e.frame });
      } else if (e.kind === 'close' && e.by === 'server' && e.code !== 1006) {
        close = { at: Math.max(0, e.t - open.t), code: e.code, reason: e.reason };
      }
    }
    const last = Math.max(timeline.at(-1)?.at ?? 0, close?.at ?? 0);
    const gaps = timeline.slice(1).map((f, i) => f.at - timeline[i]!.at);
    const gap = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 1_000;
    scripts.push({
      path: pathOf(connect.url),
      timeline,
      replies: replies.filter((r) => r.frames.length > 0),
      close,
      duration: last + Math.max(1, gap),
    });
  }
  return scripts;
}

/** Loads the recording an options object names. */
export function replayRecording(options: ReplayOptions): Recording {
  if (options.recording !== undefined)
    return typeof options.recording === 'string' ? parseRecording(options.recording) : options.recording;
  if (options.path !== undefined) return parseRecording(readFileSync(options.path, 'utf8'));
  throw new TypeError('dashwire mock server: replay needs a recording or a path');
}

/**
 * The replay dialect. `publish(channel, type, data)` on a replaying server sends `data` as
 * the frame (a string as is, anything else as JSON) to every client; the synthetic feed
 * (`setFeed({ rate })`) plays the recorded frames at that rate instead of their rhythm.
 * @category Mock server
 */
export function replayDialect(options: ReplayOptions): ServerDialect {
  const speed = options.speed ?? replayDefaults.speed;
  if (!(speed > 0)) throw new TypeError(`dashwire mock server: replay speed must be > 0, got ${speed}`);
  const loop = options.loop ?? replayDefaults.loop;
  const scripts = scriptsOf(replayRecording(options));
  if (scripts.length === 0)
    throw new TypeError('dashwire mock server: the recording has no opened connection to replay');
  const paths = [...new Set(scripts.map((s) => s.path))];
  const nextOfPath = new Map<string, number>();
  const timers = new WeakMap<FeedClient, ReturnType<typeof setTimeout>>();
  const assigned = new WeakMap<FeedClient, Script>();
  const used = new WeakMap<FeedClient, Map<string, number>>();

  /** Sends every frame due by now, then sleeps until the next one. */
  const play = (client: FeedClient, script: Script, index: number, startedAt: number): void => {
    const elapsed = (Date.now() - startedAt) * speed;
    let i = index;
    while (i < script.timeline.length && script.timeline[i]!.at <= elapsed) client.send(script.timeline[i++]!.frame);
    let wakeAt: number | undefined;
    let next = (): void => play(client, script, i, startedAt);
    if (i < script.timeline.length) wakeAt = script.timeline[i]!.at;
    else if (loop) {
      wakeAt = script.duration;
      next = () => play(client, script, 0, startedAt + script.duration / speed);
    } else if (script.close) {
      if (script.close.at <= elapsed) return client.close(script.close.code, script.close.reason);
      wakeAt = script.close.at;
    }
    if (wakeAt === undefined) return;
    const timer = setTimeout(next, Math.max(0, (wakeAt - elapsed) / speed));
    unrefTimer(timer);
    timers.set(client, timer);
  };

  const frames = scripts.flatMap((s) => s.timeline.map((f) => f.frame));
  return {
    name: 'replay',
    paths,
    open(client) {
      // Clients on a path take its recorded connections in turn.
      const onPath = scripts.filter((s) => s.path === client.path);
      const n = nextOfPath.get(client.path) ?? 0;
      nextOfPath.set(client.path, n + 1);
      const script = onPath[n % onPath.length]!;
      assigned.set(client, script);
      used.set(client, new Map());
      play(client, script, 0, Date.now());
    },
    message(client, frame) {
      const script = assigned.get(client);
      if (!script) return;
      const key = requestKey(frame);
      const exact = script.replies.filter((r) => r.request === frame);
      const matching = exact.length ? exact : script.replies.filter((r) => r.key === key);
      if (matching.length === 0) return;
      // Recorded answers to the same request are used in turn (a second ping gets the second pong).
      const counts = used.get(client)!;
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      const reply = matching[n % matching.length]!;
      for (const f of reply.frames) client.send(withLiveId(f, reply.request, frame));
    },
    closed(client) {
      clearTimeout(timers.get(client));
      timers.delete(client);
    },
    receives: () => true,
    encode: (event) => (typeof event.data === 'string' ? event.data : JSON.stringify(event.data)),
    feed(): FeedSource {
      let i = 0;
      return () => {
        const frame = frames[i++ % Math.max(1, frames.length)] ?? '{}';
        return { channel: 'replay', type: 'replay', data: frame };
      };
    },
  };
}
