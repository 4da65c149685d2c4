import { stableStringify } from '../protocol/json.js';
import type { SubscriptionParams } from '../protocol/types.js';
import type { FeedClient } from './dialect.js';

/**
 * The native server's subscriptions, per connection: channel → (params key → params). A
 * connection may hold several subscriptions of one channel (NATIVE-1.1: params name the
 * subscription); it receives the channel's events once while any is live. Each change keeps
 * `client.subscriptions` (what `clients()` shows) at the channel's most recent params.
 */
export interface SubscriptionTable {
  /** Adds a subscription; the same (channel, params) again replaces it: still one subscription. */
  add(client: FeedClient, channel: string, params: SubscriptionParams): void;
  /** Ends the subscription with these params, or every subscription of the channel without params (a 1.0 client). */
  remove(client: FeedClient, channel: string, params: SubscriptionParams | undefined): void;
  /** Whether the connection holds any subscription of the channel. */
  has(client: FeedClient, channel: string): boolean;
  /** The connection is gone: drops its subscriptions. */
  forget(client: FeedClient): void;
}

type Table = Map<string, Map<string, SubscriptionParams>>;

/** How subscriptions are told apart: params compared by value (JSON with keys sorted). */
function paramsKey(params: SubscriptionParams): string {
  return stableStringify(params);
}

/** Creates an empty subscription table. */
export function createSubscriptionTable(): SubscriptionTable {
  const tables = new WeakMap<FeedClient, Table>();

  const tableOf = (client: FeedClient): Table => {
    let table = tables.get(client);
    if (!table) {
      table = new Map();
      tables.set(client, table);
    }
    return table;
  };

  const mirror = (client: FeedClient, channel: string): void => {
    const variants = tables.get(client)?.get(channel);
    const last = variants ? [...variants.values()].pop() : undefined;
    if (last === undefined) client.subscriptions.delete(channel);
    else client.subscriptions.set(channel, last);
  };

  return {
    add(client, channel, params) {
      const table = tableOf(client);
      let variants = table.get(channel);
      if (!variants) table.set(channel, (variants = new Map<string, SubscriptionParams>()));
      // Deleted first so the re-subscribed params become the most recent.
      variants.delete(paramsKey(params));
      variants.set(paramsKey(params), params);
      mirror(client, channel);
    },
    remove(client, channel, params) {
      const variants = tables.get(client)?.get(channel);
      if (!variants) return;
      if (params === undefined) variants.clear();
      else variants.delete(paramsKey(params));
      if (variants.size === 0) tables.get(client)?.delete(channel);
      mirror(client, channel);
    },
    has: (client, channel) => (tables.get(client)?.get(channel)?.size ?? 0) > 0,
    forget(client) {
      tables.delete(client);
    },
  };
}
