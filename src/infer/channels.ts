/**
 * How a recording's subscriptions reach the server (the channel mode), the channel names,
 * and which channel each message type's events belong to, with the reason for the comment.
 */
import { isRecord } from '../protocol/json.js';
import { clientSubscribe, type ClientFrame, type ClientFrames } from './client-frames.js';
import type { TypeTally } from './type-tally.js';

/** How subscriptions reach the server. */
export type ChannelMode =
  /** Subscribe frames name a channel. */
  | 'frames'
  /** One URL path per channel (a connection per feed). */
  | 'endpoints'
  /** Nothing on the wire: each message type is a client-side channel. */
  | 'filter';

/** A recording's channels and how messages are routed to them. */
export interface ChannelRouting {
  readonly mode: ChannelMode;
  /** Channel names, in order of first appearance; with their URL path in `endpoints` mode. */
  readonly channels: readonly { readonly name: string; readonly path?: string }[];
  /** `frames` mode: the message field that names its channel, when messages carry one (as subscribes do). */
  readonly channelField: string | undefined;
}

/** The URL path of a connection's URL (`/` when it does not parse). */
export function pathOf(url: string): string {
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

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = isRecord(v) ? v[key] : undefined;
  return v;
}

/** Every message of the type has `field` as a string. */
function carries(a: TypeTally, field: string): boolean {
  const f = a.stats.objects?.fields.get(field);
  return f !== undefined && f.count === a.count && f.strings?.count === f.count;
}

/**
 * `endpoints` when connections went to two or more URL paths, else `frames` when subscribe
 * frames name a channel, else `filter`. `urls` are the connections' URLs.
 */
export function channelRouting(
  urls: Iterable<string>,
  client: readonly ClientFrame[],
  clientModel: ClientFrames,
  tallies: ReadonlyMap<string, TypeTally>,
): ChannelRouting {
  const paths = [...new Set([...urls].map(pathOf))];
  const mode: ChannelMode = paths.length >= 2 ? 'endpoints' : clientModel.subscribe?.channelPath ? 'frames' : 'filter';

  const channels: { name: string; path?: string }[] = [];
  if (mode === 'endpoints') {
    const names = new Set<string>();
    for (const path of paths) {
      const name = names.has(lastSegment(path)) ? path : lastSegment(path);
      names.add(name);
      channels.push({ name, path });
    }
  } else if (mode === 'frames') {
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
  const channelKey = mode === 'frames' ? clientModel.subscribe!.channelPath!.at(-1)! : undefined;
  const channelField =
    channelKey !== undefined && [...tallies.values()].some((a) => carries(a, channelKey)) ? channelKey : undefined;
  return { mode, channels, channelField };
}

/**
 * The channel the decode assigns to events of `type` (`undefined`: none, or the message's
 * own channel field), and why.
 */
export function channelOfType(
  routing: ChannelRouting,
  type: string,
  a: TypeTally,
): { channel: string | undefined; reason: string } {
  const { mode, channels, channelField } = routing;
  if (mode === 'endpoints') {
    const [bestPath, n] = [...a.paths.entries()].sort((x, y) => y[1] - x[1])[0]!;
    return {
      channel: channels.find((c) => c.path === bestPath)?.name,
      reason: `received on ${bestPath} (${n}/${a.count})`,
    };
  }
  if (channelField !== undefined && carries(a, channelField)) {
    return { channel: undefined, reason: `the message's "${channelField}" field (${a.count}/${a.count})` };
  }
  if (mode === 'frames') {
    const match = channels.find(
      (c) =>
        normalise(type).startsWith(normalise(c.name)) ||
        normalise(type).startsWith(normalise(c.name).replace(/s$/, '')),
    );
    return {
      channel: match?.name,
      reason: match ? `type name starts with "${match.name}"` : 'no subscribed channel matches the type name',
    };
  }
  return { channel: type, reason: 'client-side channel named after the type' };
}
