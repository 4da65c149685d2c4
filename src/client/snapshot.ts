import { DashwireError, isDashwireError } from '../errors.js';
import { isRecord, stableStringify } from '../protocol/json.js';
import { snapshotFromPolling } from '../protocol/snapshot-spec.js';
import type { Protocol } from '../protocol/types.js';
import type { FetchLike } from '../transport/polling.js';
import type { SafeEmitter } from './emitter.js';
import type { Covered } from './held-events.js';
import type { Receive } from './receive.js';
import type { SubscriptionRegistry, WireSubscription } from './subscriptions.js';
import type { TokenSource } from './token.js';
import type { GapInfo } from './message-types.js';
import type { SnapshotItem, SnapshotResult, SnapshotSource } from './store-types.js';

/** What the snapshot unit is made with. */
export interface SnapshotsOptions {
  readonly protocol: Protocol;
  readonly registry: SubscriptionRegistry;
  readonly receive: Pick<Receive, 'hold' | 'applySnapshot' | 'reportGap'>;
  readonly emitter: SafeEmitter;
  /** The app's snapshot source (`createClient({ snapshot })`), which wins over the protocol's endpoint. */
  readonly source: SnapshotSource | undefined;
  /** Base URL of the server's REST endpoints. */
  readonly baseUrl: string;
  readonly tokens: TokenSource;
  readonly fetch?: FetchLike;
}

/** Snapshot, then stream (see {@link createSnapshots}). */
export interface Snapshots {
  /** A handle on `wire` asked for `{ snapshot: true }`. */
  want(wire: WireSubscription): void;
  /** Hook for the receive path: re-snapshots a channel after a gap, when it can. */
  heal(gap: GapInfo): Promise<Covered | void> | undefined;
  close(): void;
}

interface Track {
  wanted: boolean;
  everLive: boolean;
  live: boolean;
  lostAt: number | undefined;
  /** Made on the first fetch: most subscriptions never snapshot. */
  abort: AbortController | undefined;
}

/** HTTP statuses that mean "this server has no snapshot endpoint" (it is optional). */
const absentStatuses = [404, 405, 501];

/** The time an item carries (`timestamp` or `ts`, ISO text or unix ms), for key + time de-duplication. */
function timeOf(data: unknown): number | undefined {
  if (!isRecord(data)) return undefined;
  const value = data.timestamp ?? data.ts;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/**
 * What a snapshot covers among the live events held while it was fetched: by seq where the
 * server numbers events (every seq up to the snapshot's), else by content (the same type and
 * data) or, for the same type and key, by time (not newer than the snapshot's item).
 */
function coverage(
  items: readonly SnapshotItem[],
  seq: number | undefined,
  keyOf: (type: string, data: unknown) => string | undefined,
): Covered {
  if (seq !== undefined) return (_type, _data, meta) => meta.seq !== undefined && meta.seq <= seq;
  const contents = new Set<string>();
  const times = new Map<string, number>();
  for (const { type, data } of items) {
    contents.add(`${type}\u0000${stableStringify(data)}`);
    const key = keyOf(type, data);
    const at = timeOf(data);
    if (key !== undefined && at !== undefined)
      times.set(`${type}\u0000${key}`, Math.max(at, times.get(`${type}\u0000${key}`) ?? -Infinity));
  }
  return (type, data) => {
    if (contents.has(`${type}\u0000${stableStringify(data)}`)) return true;
    const key = keyOf(type, data);
    const at = timeOf(data);
    const covered = key === undefined ? undefined : times.get(`${type}\u0000${key}`);
    return covered !== undefined && at !== undefined && at <= covered;
  };
}

function normalize(result: SnapshotResult): { seq?: number; items: readonly SnapshotItem[] } {
  if (Array.isArray(result)) return { items: result as readonly SnapshotItem[] };
  const { seq, items } = result as { seq?: number; items: readonly SnapshotItem[] };
  return { ...(Number.isSafeInteger(seq) ? { seq } : {}), items: Array.isArray(items) ? items : [] };
}

/** A 404 that names the channel as unknown is a refusal of that channel, not a missing endpoint. */
async function refusesChannel(response: { status: number; text(): Promise<string> }): Promise<boolean> {
  if (response.status !== 404) return false;
  try {
    const body: unknown = JSON.parse(await response.text());
    return isRecord(body) && body.error === 'unknown_channel';
  } catch {
    return false;
  }
}

/**
 * Snapshot, then stream, healed by itself. For a subscription made with `{ snapshot: true }`:
 * once the server confirmed it (subscribe first), the channel's live events are held, its
 * state fetched and applied to the latest store (`snapshot`), and the held events the
 * snapshot already covers are dropped. After a gap the server cannot replay, or a reconnect
 * to a server that cannot resume (every preset backend), the channel is re-snapshotted: the
 * store entries it set are replaced in one step (`resynced`). Where no snapshot source exists,
 * a reconnect to a non-resumable server reports an honest time-range `gap`.
 */
export function createSnapshots(options: SnapshotsOptions): Snapshots {
  const { protocol, registry, receive, emitter } = options;
  const spec = protocol.snapshot ?? snapshotFromPolling(protocol.polling);
  const tracks = new WeakMap<WireSubscription, Track>();
  const all = new Set<AbortController>();
  let unavailable = false;
  let closed = false;

  const hasSource = (): boolean => options.source !== undefined || (spec !== undefined && !unavailable);
  const keyOf = (type: string, data: unknown): string | undefined => {
    try {
      const keyFn: ((payload: unknown) => string) | undefined = protocol.keys?.[type];
      return keyFn?.(data);
    } catch {
      return undefined;
    }
  };

  function track(wire: WireSubscription): Track {
    let t = tracks.get(wire);
    if (t) return t;
    t = {
      wanted: false,
      everLive: wire.state === 'subscribed',
      live: wire.state === 'subscribed',
      lostAt: undefined,
      abort: undefined,
    };
    tracks.set(wire, t);
    const tr = t;
    wire.onState((state) => changed(wire, tr, state));
    return t;
  }

  function changed(wire: WireSubscription, t: Track, state: WireSubscription['state']): void {
    if (closed) return;
    if (state === 'pending' && t.live) {
      t.live = false;
      t.lostAt ??= Date.now();
    } else if (state === 'subscribed') {
      const first = !t.everLive;
      const lostAt = t.lostAt;
      t.everLive = true;
      t.live = true;
      t.lostAt = undefined;
      if (first) {
        if (t.wanted) take(wire, 'snapshot');
        return;
      }
      // A resumable server reports what it could not replay on the ack (a seq gap, healed there).
      if (lostAt === undefined || protocol.resumable) return;
      if (t.wanted && hasSource()) take(wire, 'resynced');
      else receive.reportGap({ channel: wire.channel, from: new Date(lostAt), to: new Date(), fromSeq: 0, toSeq: -1 });
    } else if ((state === 'unsubscribed' || state === 'error') && t.abort) {
      t.abort.abort();
      all.delete(t.abort);
      t.abort = undefined;
    }
  }

  function take(wire: WireSubscription, kind: 'snapshot' | 'resynced'): void {
    receive.hold(wire.channel, () => refresh(wire, kind));
  }

  async function fetchState(
    wire: WireSubscription,
    signal: AbortSignal,
  ): Promise<{ seq?: number; items: readonly SnapshotItem[] } | undefined> {
    const { channel, params } = wire;
    if (options.source) return normalize(await options.source({ channel, params, signal }));
    if (!spec || unavailable) return undefined;
    const fetchImpl = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (!fetchImpl) return undefined;
    const token = await options.tokens.get('connect');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetchImpl(spec.url(options.baseUrl, channel, params), { method: 'GET', headers, signal });
    if (absentStatuses.includes(response.status) && !(await refusesChannel(response))) {
      unavailable = true;
      emitter.emit(
        'error',
        new DashwireError('snapshot_unavailable', 'The server has no snapshot endpoint; live events only', {
          details: { channel, status: response.status },
        }),
      );
      return undefined;
    }
    if (response.status < 200 || response.status >= 300)
      throw new DashwireError('snapshot_failed', `Snapshot of "${channel}" answered HTTP ${response.status}`, {
        details: { channel, status: response.status },
      });
    const decoded = spec.decode(await response.text(), channel);
    if (!decoded)
      throw new DashwireError('snapshot_failed', `Snapshot of "${channel}" is not a snapshot body`, {
        details: { channel },
      });
    return decoded;
  }

  async function refresh(wire: WireSubscription, kind: 'snapshot' | 'resynced'): Promise<Covered | void> {
    const t = track(wire);
    if (!t.abort) all.add((t.abort = new AbortController()));
    const { signal } = t.abort;
    try {
      const state = await fetchState(wire, signal);
      if (!state || closed || signal.aborted) return;
      const items = receive.applySnapshot(wire.channel, state.items, state.seq);
      const at = new Date();
      if (kind === 'snapshot')
        emitter.emit('snapshot', {
          channel: wire.channel,
          params: wire.params,
          items,
          ...(state.seq === undefined ? {} : { seq: state.seq }),
          at,
        });
      else emitter.emit('resynced', { channel: wire.channel, at });
      return coverage(items, state.seq, keyOf);
    } catch (cause) {
      if (closed || signal.aborted) return;
      emitter.emit(
        'error',
        isDashwireError(cause)
          ? cause
          : new DashwireError('snapshot_failed', `Snapshot of "${wire.channel}" failed`, {
              cause,
              details: { channel: wire.channel },
            }),
      );
    }
  }

  // A server that cannot resume needs every subscription watched, for the honest time-range gap
  // after a reconnect; a resumable one reports gaps itself, so only `{ snapshot: true }` ones are.
  if (!protocol.resumable) registry.on('added', (wire) => void track(wire));

  return {
    want(wire) {
      const t = track(wire);
      if (t.wanted) return;
      t.wanted = true;
      if (wire.state === 'subscribed') take(wire, 'snapshot');
      else t.everLive = false;
    },
    heal(gap) {
      if (closed || !hasSource()) return undefined;
      const wanted = (registry.forChannel(gap.channel) ?? []).filter((wire) => tracks.get(wire)?.wanted);
      if (wanted.length === 0) return undefined;
      return Promise.all(wanted.map((wire) => refresh(wire, 'resynced'))).then((covers) => {
        const list = covers.filter((c): c is Covered => c !== undefined);
        return (type: string, data: unknown, meta: Parameters<Covered>[2]) =>
          list.some((covered) => covered(type, data, meta));
      });
    },
    close() {
      closed = true;
      for (const abort of all) abort.abort();
      all.clear();
    },
  };
}
