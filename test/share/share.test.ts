/**
 * `share: shareTabs()` in Node, against a real native mock server: "tabs" are in-memory
 * environments (Web Locks fake, Node's BroadcastChannel and MessageChannel, see fakes.ts).
 * Asserts what a user of several tabs notices: one connection, one subscribe per channel,
 * every event in every tab exactly once, handovers that lose and duplicate nothing.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { createSharedClient, type ShareEnvironment } from '../../src/share/shared-client.js';
import { createSharedWorkerHost } from '../../src/share/worker-host.js';
import { builtInProtocols } from '../../src/shared-worker.js';
import type { Client, ClientOptions, DashboardEvents, InvalidMessage } from '../../src/index.js';
import { native, tabs as shareTabs } from '../../src/index.js';
import { waitFor } from '../helpers/wait.js';
import { FakeLocks, FakeTab } from './fakes.js';

const tick = (i: number) => ({ symbol: 'BTC', price: `${60000 + i}.00`, change_24h: '0.1', ts: i });

let server: MockServer | undefined;
const clients: Client<DashboardEvents>[] = [];
const tabs: FakeTab[] = [];

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const client of clients.splice(0)) await client.close();
  for (const tab of tabs.splice(0)) tab.kill();
  await server?.close();
  server = undefined;
});

async function startServer(options: Parameters<typeof createMockServer>[0] = {}): Promise<MockServer> {
  server = await createMockServer({
    protocol: 'native',
    feed: false,
    host: '127.0.0.1',
    port: 0,
    replayBuffer: 1_000,
    ...options,
  });
  return server;
}

function openTab(
  locks: FakeLocks,
  options: Partial<ClientOptions<DashboardEvents>> = {},
  environment?: (tab: FakeTab) => ShareEnvironment,
) {
  const tab = new FakeTab(locks);
  tabs.push(tab);
  const client = createSharedClient<DashboardEvents>(
    {
      url: server!.url,
      protocol: native(),
      share: shareTabs(),
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
      ...options,
    },
    environment ? environment(tab) : tab.environment,
  );
  clients.push(client);
  return { tab, client };
}

/** Subscribes and records the seqs a tab's handler sees. */
function record(client: Client<DashboardEvents>, channel = 'prices') {
  const seqs: number[] = [];
  const sub = client.subscribe(channel);
  sub.on('price_update', (_p, meta) => seqs.push(meta.seq!));
  return { sub, seqs };
}

const subscribeFrames = (s: MockServer, channel: string) =>
  s.received.filter(
    (r) =>
      (r.json as { op?: string; channel?: string })?.op === 'subscribe' &&
      (r.json as { channel?: string }).channel === channel,
  );
const unsubscribeFrames = (s: MockServer, channel: string) =>
  s.received.filter(
    (r) =>
      (r.json as { op?: string; channel?: string })?.op === 'unsubscribe' &&
      (r.json as { channel?: string }).channel === channel,
  );
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('share: tabs with a leader tab (Web Locks + BroadcastChannel)', () => {
  it('three tabs: one connection, one subscribe per channel, every event in every tab once, in order', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const opened = [openTab(locks), openTab(locks), openTab(locks)];
    const recorded = opened.map(({ client }) => record(client));
    await Promise.all(recorded.map(({ sub }) => sub.ready));
    await waitFor(() => opened.every(({ client }) => client.state === 'open'));
    expect(s.clients).toBe(1);
    expect(subscribeFrames(s, 'prices')).toHaveLength(1);
    for (let i = 1; i <= 20; i++) s.publish('prices', 'price_update', tick(i));
    await waitFor(() => recorded.every(({ seqs }) => seqs.length === 20));
    for (const { seqs } of recorded) expect(seqs).toEqual(range(1, 20));
    expect(opened.map(({ client }) => client.stats().share).sort()).toEqual(['follower', 'follower', 'leader']);
    expect(opened[1]!.client.latest('price_update', 'BTC')?.price).toBe('60020.00');
  });

  it('reference-counts across tabs: the wire unsubscribes when the last tab releases, not before', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const a = openTab(locks);
    const b = openTab(locks);
    const subA = a.client.subscribe('trades');
    const subB = b.client.subscribe('trades');
    await Promise.all([subA.ready, subB.ready]);
    expect(subscribeFrames(s, 'trades')).toHaveLength(1);
    subA.unsubscribe();
    // The other tab still holds it: a round trip later, still no unsubscribe on the wire.
    await b.client.subscribe('prices').ready;
    expect(unsubscribeFrames(s, 'trades')).toHaveLength(0);
    expect(subA.state).toBe('unsubscribed');
    expect(subB.state).toBe('subscribed');
    subB.unsubscribe();
    await waitFor(() => unsubscribeFrames(s, 'trades').length === 1);
  });

  it('the grace of unsubscribeDelayMs spans tabs: a release and a new subscribe in another tab cost no frame', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const a = openTab(locks, { unsubscribeDelayMs: 60_000 });
    const b = openTab(locks, { unsubscribeDelayMs: 60_000 });
    const first = a.client.subscribe('trades');
    await first.ready;
    first.unsubscribe();
    const second = b.client.subscribe('trades');
    await second.ready;
    await b.client.subscribe('prices').ready; // a round trip later
    expect(subscribeFrames(s, 'trades')).toHaveLength(1);
    expect(unsubscribeFrames(s, 'trades')).toHaveLength(0);
  });

  it('the leader tab dies: a follower takes over and resumes with since: 0 lost, 0 duplicated', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const opened = [openTab(locks), openTab(locks), openTab(locks)];
    const recorded = opened.map(({ client }) => record(client));
    await Promise.all(recorded.map(({ sub }) => sub.ready));
    for (let i = 1; i <= 10; i++) s.publish('prices', 'price_update', tick(i));
    await waitFor(() => recorded.every(({ seqs }) => seqs.length === 10));
    const leaderIndex = opened.findIndex(({ client }) => client.stats().share === 'leader');
    const leader = opened[leaderIndex]!;
    leader.tab.kill();
    // Published while nobody is leading: the new leader must fetch these with `since`.
    for (let i = 11; i <= 20; i++) s.publish('prices', 'price_update', tick(i));
    // The dead tab's socket goes when its process does; here, once the handover began.
    await leader.client.close();
    const survivors = recorded.filter((_, i) => i !== leaderIndex);
    for (let i = 21; i <= 30; i++) s.publish('prices', 'price_update', tick(i));
    await waitFor(() => survivors.every(({ seqs }) => seqs.length >= 30), 5_000);
    for (const { seqs } of survivors) expect(seqs).toEqual(range(1, 30));
    const since = subscribeFrames(s, 'prices').map((r) => (r.json as { since?: number }).since);
    expect(since).toEqual([undefined, 10]);
    expect(s.clients).toBe(1);
    expect(
      opened
        .filter((_, i) => i !== leaderIndex)
        .map(({ client }) => client.stats().share)
        .sort(),
    ).toEqual(['follower', 'leader']);
  });

  it('a leader that freezes hands over at once, and joins as a follower when it resumes', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const a = openTab(locks);
    const ra = record(a.client);
    await ra.sub.ready;
    const b = openTab(locks);
    const rb = record(b.client);
    await rb.sub.ready;
    expect(a.client.stats().share).toBe('leader');
    s.publish('prices', 'price_update', tick(1));
    await waitFor(() => rb.seqs.length === 1 && ra.seqs.length === 1);
    a.tab.page.fire('freeze');
    await waitFor(() => b.client.stats().share === 'leader');
    s.publish('prices', 'price_update', tick(2));
    await waitFor(() => rb.seqs.length === 2);
    a.tab.page.fire('resume');
    await waitFor(() => a.client.stats().share === 'follower' && a.client.state === 'open');
    s.publish('prices', 'price_update', tick(3));
    await waitFor(() => ra.seqs.length === 3 && rb.seqs.length === 3);
    expect(ra.seqs).toEqual([1, 2, 3]);
    expect(rb.seqs).toEqual([1, 2, 3]);
    await waitFor(() => s.clients === 1);
  });

  it('a follower that freezes stays served, and cannot be elected while frozen', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const a = openTab(locks);
    const ra = record(a.client);
    await ra.sub.ready;
    const b = openTab(locks);
    const rb = record(b.client);
    const c = openTab(locks);
    const rc = record(c.client);
    await Promise.all([rb.sub.ready, rc.sub.ready]);
    const bStates: string[] = [];
    rb.sub.onState((state) => bStates.push(state));
    b.tab.page.fire('freeze');
    a.tab.kill();
    await a.client.close();
    await waitFor(() => c.client.stats().share === 'leader');
    b.tab.page.fire('resume');
    // b was handed to the new leader (pending → subscribed again) while it was frozen.
    await waitFor(() => bStates.join() === 'pending,subscribed' && rc.sub.state === 'subscribed');
    s.publish('prices', 'price_update', tick(1));
    await waitFor(() => rb.seqs.length === 1 && rc.seqs.length === 1);
    expect(b.client.stats().share).toBe('follower');
    expect(s.clients).toBe(1);
  });

  it('tabs with another identity never share: each identity has its own connection', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const alice = [
      openTab(locks, { share: shareTabs({ identity: 'alice' }) }),
      openTab(locks, { share: shareTabs({ identity: 'alice' }) }),
    ];
    const bob = openTab(locks, { share: shareTabs({ identity: 'bob' }) });
    await Promise.all([...alice, bob].map(({ client }) => client.subscribe('prices').ready));
    expect(s.clients).toBe(2);
    expect(bob.client.stats().share).toBe('leader');
  });

  it('forwards invalid and unknown events to the tabs that listen, and a throwing handler stays in its tab', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const a = openTab(locks);
    const b = openTab(locks);
    const invalidInB: InvalidMessage[] = [];
    b.client.on('invalid', (m) => invalidInB.push(m));
    const errorsInA: string[] = [];
    a.client.on('error', (e) => errorsInA.push(e.code));
    const subA = a.client.subscribe('prices');
    subA.on('price_update', () => {
      throw new Error('boom');
    });
    const rb = record(b.client);
    await Promise.all([subA.ready, rb.sub.ready]);
    s.publish('prices', 'price_update', { symbol: 'BTC' }); // fails the schema
    s.publish('prices', 'price_update', tick(2));
    await waitFor(() => invalidInB.length === 1 && rb.seqs.length === 1);
    expect(invalidInB[0]!.reason).toBe('schema');
    await waitFor(() => errorsInA.includes('handler_threw'));
    expect(b.client.stats().handlerErrors).toBe(0);
  });

  it('a handover the server cannot replay: an honest gap in every tab that listens, then the live feed', async () => {
    const s = await startServer({ replayBuffer: 3 });
    const locks = new FakeLocks();
    const opened = [openTab(locks), openTab(locks)];
    const recorded = opened.map(({ client }) => record(client));
    const gaps = opened.map(({ client }) => {
      const seen: { fromSeq: number; toSeq: number }[] = [];
      client.on('gap', ({ fromSeq, toSeq }) => seen.push({ fromSeq, toSeq }));
      return seen;
    });
    await Promise.all(recorded.map(({ sub }) => sub.ready));
    s.publish('prices', 'price_update', tick(1));
    await waitFor(() => recorded.every(({ seqs }) => seqs.length === 1));
    const leaderIndex = opened.findIndex(({ client }) => client.stats().share === 'leader');
    opened[leaderIndex]!.tab.kill();
    for (let i = 2; i <= 11; i++) s.publish('prices', 'price_update', tick(i)); // the buffer keeps 9…11 only
    await opened[leaderIndex]!.client.close();
    const survivor = 1 - leaderIndex;
    await waitFor(() => gaps[survivor]!.length === 1, 5_000);
    expect(gaps[survivor]).toEqual([{ fromSeq: 2, toSeq: 11 }]);
    s.publish('prices', 'price_update', tick(12));
    await waitFor(() => recorded[survivor]!.seqs.includes(12));
    expect(recorded[survivor]!.seqs).toEqual([1, 12]);
  });

  it('resync runs in the tab on a gap, with no gap listener of its own', async () => {
    const s = await startServer({ replayBuffer: 2 });
    const locks = new FakeLocks();
    const resynced = [[], []] as { fromSeq: number; toSeq: number }[][];
    const opened = [0, 1].map((i) =>
      openTab(locks, { resync: ({ fromSeq, toSeq }) => void resynced[i]!.push({ fromSeq, toSeq }) }),
    );
    const recorded = opened.map(({ client }) => record(client));
    await Promise.all(recorded.map(({ sub }) => sub.ready));
    s.publish('prices', 'price_update', tick(1));
    await waitFor(() => recorded.every(({ seqs }) => seqs.length === 1));
    const leaderIndex = opened.findIndex(({ client }) => client.stats().share === 'leader');
    opened[leaderIndex]!.tab.kill();
    for (let i = 2; i <= 6; i++) s.publish('prices', 'price_update', tick(i));
    await opened[leaderIndex]!.client.close();
    await waitFor(() => resynced[1 - leaderIndex]!.length === 1, 5_000);
    expect(resynced[1 - leaderIndex]).toEqual([{ fromSeq: 2, toSeq: 6 }]);
  });

  it('a follower that dies without a word releases its subscriptions (the host watches its lock)', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const leader = openTab(locks);
    await leader.client.subscribe('prices').ready;
    const follower = openTab(locks);
    await follower.client.subscribe('alerts').ready;
    expect(subscribeFrames(s, 'alerts')).toHaveLength(1);
    follower.tab.kill();
    await waitFor(() => unsubscribeFrames(s, 'alerts').length === 1);
    expect(unsubscribeFrames(s, 'prices')).toHaveLength(0);
  });

  it('lazy: nothing connects until a tab subscribes; send() from a follower reaches the server', async () => {
    const s = await startServer();
    const locks = new FakeLocks();
    const a = openTab(locks, { lazy: true });
    const b = openTab(locks, { lazy: true });
    await waitFor(() => a.client.stats().share === 'leader' && b.client.stats().share === 'follower');
    expect(s.clients).toBe(0);
    expect(b.client.send({ op: 'hello-from-b' })).toBe(true);
    await b.client.subscribe('prices').ready;
    expect(s.clients).toBe(1);
    await waitFor(() => s.received.some((r) => (r.json as { op?: string })?.op === 'hello-from-b'));
  });

  it('falls back to a private connection, flagged in stats(), without Web Locks or BroadcastChannel', async () => {
    const s = await startServer();
    const client = createSharedClient<DashboardEvents>({ url: s.url, share: shareTabs() }, {});
    clients.push(client);
    await client.subscribe('prices').ready;
    expect(client.stats().share).toBe('private');
    expect(client.stats().transport).toBe('websocket');
  });
});

describe('share: tabs with a SharedWorker', () => {
  /** A fake SharedWorker: every `new` is one more tab port into the same worker scope. */
  function fakeWorker() {
    const scope: { onconnect: ((event: MessageEvent) => void) | null } = { onconnect: null };
    const workerLocks = new FakeLocks();
    let host: ReturnType<typeof createSharedWorkerHost> | undefined;
    const start = (locks: FakeLocks) => {
      host = createSharedWorkerHost({ protocols: builtInProtocols, scope, locks: locks.context() });
      return host;
    };
    const make = () => {
      const { port1, port2 } = new MessageChannel();
      queueMicrotask(() => scope.onconnect?.({ ports: [port2] } as unknown as MessageEvent));
      return { port: port1 as unknown as MessagePort, addEventListener() {} };
    };
    return { start, make, workerLocks, host: () => host };
  }

  it('tabs talk to one worker connection; the token provider runs in a tab', async () => {
    const tokens: string[] = [];
    const s = await startServer({ auth: (token) => token === 'good' });
    vi.stubGlobal('SharedWorker', class {});
    const locks = new FakeLocks();
    const worker = fakeWorker();
    const host = worker.start(locks);
    const options = {
      share: shareTabs({ worker: worker.make }),
      auth: {
        token: () => {
          tokens.push('asked');
          return 'good';
        },
      },
    };
    const a = openTab(locks, options);
    const b = openTab(locks, options);
    const [ra, rb] = [record(a.client), record(b.client)];
    await Promise.all([ra.sub.ready, rb.sub.ready]);
    expect(s.clients).toBe(1);
    expect(host.size).toBe(1);
    expect(tokens).toEqual(['asked']);
    expect(a.client.stats().share).toBe('worker');
    s.publish('prices', 'price_update', tick(1));
    await waitFor(() => ra.seqs.length === 1 && rb.seqs.length === 1);
    await host.close();
  });

  it('a worker that never answers is left for a leader election after workerTimeoutMs', async () => {
    const s = await startServer();
    vi.stubGlobal('SharedWorker', class {});
    const locks = new FakeLocks();
    const silent = () => ({ port: new MessageChannel().port1 as unknown as MessagePort, addEventListener() {} });
    const a = openTab(locks, { share: shareTabs({ worker: silent, workerTimeoutMs: 20 }) });
    await a.client.subscribe('prices').ready;
    expect(a.client.stats().share).toBe('leader');
    expect(s.clients).toBe(1);
  });

  it('the tab asked for a token dies before answering: the worker asks another tab', async () => {
    const s = await startServer({ auth: (token) => token === 'from-b' });
    vi.stubGlobal('SharedWorker', class {});
    const locks = new FakeLocks();
    const worker = fakeWorker();
    const host = worker.start(locks);
    const a = openTab(locks, {
      share: shareTabs({ worker: worker.make }),
      auth: { token: () => new Promise<string>(() => {}) },
    });
    await waitFor(() => a.client.stats().share === 'worker');
    a.client.connect();
    const b = openTab(locks, { share: shareTabs({ worker: worker.make }), auth: { token: () => 'from-b' } });
    const errors: string[] = [];
    b.client.on('error', (error) => errors.push(error.code));
    const states: string[] = [];
    b.client.on('state', ({ current }) => states.push(current));
    const sub = b.client.subscribe('prices');
    await waitFor(() => b.client.stats().share === 'worker' && b.client.state === 'connecting');
    a.tab.kill(); // its lock goes: the worker learns the tab is gone
    await sub.ready;
    // Asked again at once: not a failed attempt retried after a backoff.
    expect(errors).toEqual([]);
    expect(states).not.toContain('reconnecting');
    expect(s.clients).toBe(1);
    expect(b.client.state).toBe('open');
    await host.close();
  });

  it('a worker that does not know the protocol is left for a leader election, flagged in stats()', async () => {
    const s = await startServer();
    vi.stubGlobal('SharedWorker', class {});
    const locks = new FakeLocks();
    const scope: { onconnect: ((event: MessageEvent) => void) | null } = { onconnect: null };
    const host = createSharedWorkerHost({ protocols: {}, scope, locks: locks.context() });
    const make = () => {
      const { port1, port2 } = new MessageChannel();
      queueMicrotask(() => scope.onconnect?.({ ports: [port2] } as unknown as MessageEvent));
      return { port: port1 as unknown as MessagePort, addEventListener() {} };
    };
    const a = openTab(locks, { share: shareTabs({ worker: make }) });
    await a.client.subscribe('prices').ready;
    expect(a.client.stats().share).toBe('leader');
    expect(s.clients).toBe(1);
    await host.close();
  });

  it('the worker dies: tabs start the next one, which resumes from their cursors', async () => {
    const s = await startServer();
    vi.stubGlobal('SharedWorker', class {});
    const locks = new FakeLocks();
    const scope: { onconnect: ((event: MessageEvent) => void) | null } = { onconnect: null };
    let workerContext = locks.context();
    let host = createSharedWorkerHost({ protocols: builtInProtocols, scope, locks: workerContext });
    let started = 1;
    let alive = true;
    const workerPorts: { close(): void }[] = [];
    const make = () => {
      if (!alive) {
        // The browser starts a fresh worker for the next `new SharedWorker`.
        alive = true;
        started++;
        workerContext = locks.context();
        host = createSharedWorkerHost({ protocols: builtInProtocols, scope, locks: workerContext });
      }
      const { port1, port2 } = new MessageChannel();
      workerPorts.push(port2);
      queueMicrotask(() => scope.onconnect?.({ ports: [port2] } as unknown as MessageEvent));
      return { port: port1 as unknown as MessagePort, addEventListener() {} };
    };
    const opened = [
      openTab(locks, { share: shareTabs({ worker: make }) }),
      openTab(locks, { share: shareTabs({ worker: make }) }),
    ];
    const recorded = opened.map(({ client }) => record(client));
    await Promise.all(recorded.map(({ sub }) => sub.ready));
    for (let i = 1; i <= 5; i++) s.publish('prices', 'price_update', tick(i));
    await waitFor(() => recorded.every(({ seqs }) => seqs.length === 5));
    // Terminated: its lock goes, its ports go quiet, its socket closes.
    alive = false;
    for (const port of workerPorts.splice(0)) port.close();
    workerContext.kill();
    await host.close();
    for (let i = 6; i <= 10; i++) s.publish('prices', 'price_update', tick(i));
    await waitFor(() => recorded.every(({ seqs }) => seqs.length >= 10), 5_000);
    for (const { seqs } of recorded) expect(seqs).toEqual(range(1, 10));
    expect(started).toBe(2);
    expect(subscribeFrames(s, 'prices').map((r) => (r.json as { since?: number }).since)).toEqual([undefined, 5]);
    await host.close();
  });
});
