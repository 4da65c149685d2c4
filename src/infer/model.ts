/**
 * Reads a recording and decides what its protocol looks like: the discriminator, the
 * envelope, one shape per message type, protocol frames, subscribe/ping templates, channels
 * and keys. Every decision keeps the counts behind it, for the generated comments. The
 * decisions live in their own files; this one holds the model and the order they run in.
 */
import { channelOfType, channelRouting, pathOf, type ChannelMode } from './channels.js';
import { clientFramesModel, heartbeatOf, type ClientFrames, type InferredHeartbeat } from './client-frames.js';
import {
  detectDiscriminator,
  detectNesting,
  discriminatorNames,
  type Discriminator,
  type NestedTypes,
} from './discriminator.js';
import { envelopeOf } from './envelope.js';
import { readFrames } from './frames.js';
import { keyOf } from './latest-key.js';
import type { Recording } from './recording.js';
import { eventNameOf, roleOf, type TypeRole } from './roles.js';
import type { ShapeStats } from './shape.js';
import { tallyTypes, typeSplitter } from './type-tally.js';

export type { ChannelMode } from './channels.js';
export type { TypeRole } from './roles.js';

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

/** Builds the model of a recording. Throws {@link InferError} when it has no typed server message. */
export function inferModel(recording: Recording): InferredModel {
  const frames = readFrames(recording);
  const { server, client } = frames;
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

  // Per type: counts, connections, URL paths and the payload shape.
  const { tallies, untyped } = tallyTypes(server, typeSplitter(discriminator.key, inner), (conn) =>
    pathOf(frames.connUrl.get(conn) ?? recording.header.url),
  );
  const connections = new Set(recording.entries.map((e) => e.conn)).size;
  const clientModel = clientFramesModel(client);
  const routing = channelRouting(frames.connUrl.values(), client, clientModel, tallies);

  const types: InferredType[] = [];
  for (const [type, a] of tallies) {
    const { role, reason } = roleOf(type, a, connections);
    const catalogued = role === 'event' || role === 'welcome';
    const routed = catalogued ? channelOfType(routing, type, a) : undefined;
    types.push({
      type,
      eventName: eventNameOf(type, role),
      role,
      roleReason: reason,
      count: a.count,
      connections: a.conns.size,
      stats: a.stats,
      key: catalogued ? keyOf(a.stats) : undefined,
      channel: role === 'welcome' && routing.mode !== 'endpoints' ? undefined : routed?.channel,
      channelReason: routed?.reason,
    });
  }

  const { serverFrames, clientFrames, notJson, batches } = frames;
  const envelope = envelopeOf(
    types.map((t) => t.stats),
    discriminator.key,
    batches,
    serverFrames,
  );
  const heartbeat = heartbeatOf(clientModel.ping, client, clientModel.discriminator, frames.maxGap);
  return {
    url: recording.header.url,
    connections,
    frames: { server: serverFrames, client: clientFrames, notJson, batches, messages: server.length, untyped },
    discriminator,
    inner,
    envelope,
    types,
    client: clientModel,
    channelMode: routing.mode,
    channels: routing.channels,
    channelField: routing.channelField,
    heartbeat,
  };
}
