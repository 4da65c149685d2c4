/**
 * Per message type: how often it came, on which connections and URL paths, and the shape of
 * its payload. Everything later decided about a type (role, channel, key) reads these tallies.
 */
import type { NestedTypes } from './discriminator.js';
import type { ServerMessage } from './frames.js';
import { emptyStats, observe, type ShapeStats } from './shape.js';

/** What the recording showed of one message type. */
export interface TypeTally {
  /** Messages of this type. */
  count: number;
  /** Connections it appeared on. */
  conns: Set<number>;
  /** Connections whose first typed message was this type. */
  firstOn: number;
  /** Messages per connection. */
  perConn: Map<number, number>;
  /** Messages per URL path of the connection. */
  paths: Map<string, number>;
  /** The payload: the message without its type fields. */
  stats: ShapeStats;
}

/** A message's type and payload (without the type fields), or `undefined` when it has none. */
export type TypeSplitter = (
  msg: Record<string, unknown>,
) => { type: string; payload: Record<string, unknown> } | undefined;

/** The splitter for a discriminator `key`, and the inner one of two-level types. */
export function typeSplitter(key: string, inner: Omit<NestedTypes, 'outer'> | undefined): TypeSplitter {
  return (msg) => {
    const { [key]: outer, ...rest } = msg;
    if (typeof outer !== 'string') return undefined;
    if (!inner || !inner.values.includes(outer)) return { type: outer, payload: rest };
    const { [inner.inner]: type, ...payload } = rest;
    return typeof type === 'string' ? { type, payload } : undefined;
  };
}

/**
 * Tallies the server messages by type, in order of first appearance. `pathOf` gives the URL
 * path a connection was opened on. `untyped` counts messages the splitter found no type in.
 */
export function tallyTypes(
  server: readonly ServerMessage[],
  split: TypeSplitter,
  pathOf: (conn: number) => string,
): { tallies: Map<string, TypeTally>; untyped: number } {
  const tallies = new Map<string, TypeTally>();
  const firstServer = new Map<number, string>();
  let untyped = 0;
  for (const { conn, msg } of server) {
    const parts = split(msg);
    if (!parts) {
      untyped++;
      continue;
    }
    const { type } = parts;
    if (!firstServer.has(conn)) firstServer.set(conn, type);
    let a = tallies.get(type);
    if (!a)
      tallies.set(
        type,
        (a = { count: 0, conns: new Set(), firstOn: 0, perConn: new Map(), paths: new Map(), stats: emptyStats() }),
      );
    a.count++;
    a.conns.add(conn);
    a.perConn.set(conn, (a.perConn.get(conn) ?? 0) + 1);
    const path = pathOf(conn);
    a.paths.set(path, (a.paths.get(path) ?? 0) + 1);
    observe(a.stats, parts.payload);
  }
  for (const [type, a] of tallies) a.firstOn = [...firstServer.values()].filter((t) => t === type).length;
  return { tallies, untyped };
}
