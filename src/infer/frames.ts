/**
 * The JSON frames of a recording, by direction: server messages (batches unrolled), client
 * frames, each connection's URL, and the counts the generated header reports.
 */
import { isRecord, parseJson } from '../protocol/json.js';
import type { ClientFrame } from './client-frames.js';
import { messagesOf } from './discriminator.js';
import type { Recording } from './recording.js';

/** One JSON object the server sent, with the connection it came on. */
export interface ServerMessage {
  readonly conn: number;
  readonly msg: Record<string, unknown>;
}

/** What {@link readFrames} found. */
export interface RecordedFrames {
  /** Each connection's URL, from its `connect` entry. */
  readonly connUrl: ReadonlyMap<number, string>;
  /** Server messages in order; an array frame gives one per item. */
  readonly server: readonly ServerMessage[];
  /** Client frames that are JSON objects, in order. */
  readonly client: readonly ClientFrame[];
  /** Longest silence between two server frames on one connection, in ms. */
  readonly maxGap: number;
  /** Server frames that parsed as JSON. */
  readonly serverFrames: number;
  /** Client frames that parsed as JSON. */
  readonly clientFrames: number;
  /** Frames, either way, that were not JSON. */
  readonly notJson: number;
  /** Server frames that were arrays (batches of messages). */
  readonly batches: number;
}

/** Parses every frame of a recording once. */
export function readFrames(recording: Recording): RecordedFrames {
  const connUrl = new Map<number, string>();
  const server: ServerMessage[] = [];
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
  return { connUrl, server, client, maxGap, serverFrames, clientFrames, notJson, batches };
}
