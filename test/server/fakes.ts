/**
 * Small fakes for testing the server units alone (no engine, no sockets).
 * - `fakeClient()`: a {@link FeedClient} that records what is sent to it and how it was closed.
 * - `fakeHost()`: a {@link DialectHost} over a real channel log; publish through it to give a
 *   unit some history. Pass `auth` to make it a server that requires credentials, `known` to
 *   restrict the channels it knows.
 * Extend them here (one more recorded field, one more host option) rather than in a test file.
 */
import { createChannelLog } from '../../src/server/channel-log.js';
import type { AuthCheck, DialectHost, FeedClient } from '../../src/server/dialect.js';

export interface FakeClient extends FeedClient {
  /** Frames sent to this client, as sent. */
  readonly sent: string[];
  /** Sent frames parsed as JSON. */
  frames(): Record<string, unknown>[];
  /** The close it was given, if any. */
  closedWith: { code: number; reason: string } | undefined;
}

let nextId = 1;

export function fakeClient(path = '/ws'): FakeClient {
  const client: FakeClient = {
    id: `t${nextId++}`,
    path,
    query: new URLSearchParams(),
    connectedAt: 0,
    subscriptions: new Map(),
    sent: [],
    frames: () => client.sent.map((f) => JSON.parse(f) as Record<string, unknown>),
    closedWith: undefined,
    send: (frame) => void client.sent.push(frame),
    close: (code = 1000, reason = '') => {
      client.closedWith = { code, reason };
    },
    terminate: () => {
      client.closedWith = { code: 1006, reason: '' };
    },
  };
  return client;
}

export interface FakeHostOptions {
  readonly auth?: AuthCheck;
  /** Channels the host knows; every channel when absent. */
  readonly known?: readonly string[];
  /** Events kept per channel. @default 100 */
  readonly buffer?: number;
}

export function fakeHost(options: FakeHostOptions = {}): DialectHost {
  const log = createChannelLog(options.buffer ?? 100);
  const known = options.known === undefined ? undefined : new Set(options.known);
  return {
    publish: (channel, type, data) => log.append(channel, type, data, 1_000),
    replay: (channel, since) => log.replay(channel, since),
    clients: () => [],
    now: () => 1_000,
    auth: options.auth,
    heartbeatMs: 15_000,
    ...(known ? { knowsChannel: (channel: string) => known.has(channel) } : {}),
  };
}
