import { describe, expect, it, vi } from 'vitest';
import { resolveReconnect } from '../../../src/client/backoff.js';
import { Reports } from '../../../src/client/reports.js';
import { afterFailure } from '../../../src/client/retry.js';
import { Session } from '../../../src/client/session.js';
import { aggregateState, StateMachine } from '../../../src/client/state.js';
import { framePolling } from '../../../src/protocol/frame-polling.js';
import { createPollCodec } from '../../../src/protocol/poll-codec.js';
import { presets } from '../../../src/backends/presets.js';
import { createRegistry } from '../../../src/client/subscriptions.js';
import type { StateChange } from '../../../src/client/types.js';
import { DashwireError } from '../../../src/errors.js';
import { native } from '../../../src/protocol/native.js';
import { deferSyncCallbacks } from '../../../src/transport/deferred.js';
import { expectRefused } from '../../setup/transitions.js';
import type { Transport } from '../../../src/transport/types.js';

describe("session (one socket's control frames)", () => {
  it('welcome: version kept, heartbeat floored to 1 s, and ignored when the user fixed the interval', () => {
    const session = new Session(native(), false);
    expect(session.control({ kind: 'welcome', version: '1.1', heartbeatMs: 10 })).toEqual({
      kind: 'heartbeat',
      intervalMs: 1_000,
    });
    expect(session.version).toBe('1.1');
    expect(new Session(native(), true).control({ kind: 'welcome', heartbeatMs: 5_000 })).toEqual({ kind: 'done' });
  });

  it('pong → rtt of the latest ping; error → retry-after kept, auth codes refused, others pass', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const session = new Session(native(), false);
    session.pingSent(4);
    vi.setSystemTime(25);
    expect(session.control({ kind: 'pong', id: 4 })).toEqual({ kind: 'rtt', ms: 25 });
    expect(session.control({ kind: 'error', code: 'busy', message: '', retryAfterMs: 3_000 })).toEqual({
      kind: 'pass',
    });
    expect(session.takeRetryAfter()).toBe(3_000);
    expect(session.takeRetryAfter()).toBe(0);
    expect(session.control({ kind: 'error', code: 'unauthorized', message: '' })).toMatchObject({
      kind: 'refused',
      error: { code: 'auth_failed' },
    });
    expect(session.refusedByClose(4001)).toBe(true);
    expect(session.control({ kind: 'event', type: 'x', data: {} })).toEqual({ kind: 'pass' });
    vi.useRealTimers();
  });
});

describe('afterFailure (the reconnect policy, pure)', () => {
  const base = {
    error: new DashwireError('connection_lost', 'lost'),
    protocol: native(),
    attempts: 0,
    toldMs: 0,
    refused: false,
    random: () => 1,
  };
  const reconnect = resolveReconnect({ initialDelayMs: 100, minDelayMs: 10, jitter: 'none', maxAttempts: 2 });
  it('fatal codes stop, refusals refresh, exhausted attempts stop, else retry after told + backoff', () => {
    expect(afterFailure({ ...base, reconnect, info: { code: 4003, reason: 'x', wasClean: true } })).toMatchObject({
      kind: 'stop',
      error: { code: 'fatal_close' },
    });
    expect(afterFailure({ ...base, reconnect, info: undefined, refused: true })).toEqual({ kind: 'refresh' });
    expect(afterFailure({ ...base, reconnect, info: undefined, attempts: 2 })).toMatchObject({
      kind: 'stop',
      error: { code: 'max_attempts' },
    });
    expect(afterFailure({ ...base, reconnect: false, info: undefined })).toMatchObject({
      kind: 'stop',
      error: { code: 'connection_lost' },
    });
    expect(afterFailure({ ...base, reconnect, info: undefined, toldMs: 1_000 })).toEqual({
      kind: 'retry',
      delayMs: 1_100,
    });
    expect(afterFailure({ ...base, reconnect, info: { code: 1013, reason: 'retry-after=2', wasClean: true } })).toEqual(
      { kind: 'retry', delayMs: 2_100 },
    );
  });
});

describe('StateMachine', () => {
  it('moves along the table, carries the error on reconnecting, refuses undeclared moves', () => {
    expectRefused('idle → open', 'closed → open');
    const changes: StateChange[] = [];
    const machine = new StateMachine({ emit: (_e, change) => void changes.push(change) });
    machine.move('open'); // idle → open is not in the table
    expect(machine.status.state).toBe('idle');
    machine.move('connecting');
    machine.move('open');
    machine.noteError(new DashwireError('heartbeat_timeout', 'silent'));
    machine.move('reconnecting');
    expect(machine.status).toMatchObject({ state: 'reconnecting', error: { code: 'heartbeat_timeout' } });
    machine.move('open');
    machine.move('closed');
    expect(changes.map((c) => `${c.previous}→${c.current}${c.error ? `:${c.error.code}` : ''}`)).toEqual([
      'idle→connecting',
      'connecting→open',
      'open→reconnecting:heartbeat_timeout',
      'reconnecting→open',
      'open→closed',
    ]);
    machine.move('open');
    expect(machine.status.state).toBe('closed');
  });
});

describe('registry reports', () => {
  it('added once per (channel, params), removed when the last handle goes', () => {
    const registry = createRegistry({ handlerError: () => {}, unsubscribeDelayMs: 0 });
    const log: string[] = [];
    registry.on('added', (w) => log.push(`added ${w.key}`));
    registry.on('removed', (w) => log.push(`removed ${w.key}`));
    const a = registry.acquire('trades', { symbols: ['A'] });
    const b = registry.acquire('trades', { symbols: ['A'] });
    a.unsubscribe();
    b.unsubscribe();
    expect(log.map((l) => l.replace('\u0000', ' '))).toEqual([
      'added trades {"symbols":["A"]}',
      'removed trades {"symbols":["A"]}',
    ]);
  });
});

describe('Reports', () => {
  it('on() returns the off function; clear() detaches everyone', () => {
    const reports = new Reports<{ tick: (n: number) => void }>();
    const got: number[] = [];
    const off = reports.on('tick', (n) => got.push(n));
    reports.emit('tick', 1);
    off();
    reports.emit('tick', 2);
    reports.on('tick', (n) => got.push(n * 10));
    reports.clear();
    reports.emit('tick', 3);
    expect(got).toEqual([1]);
  });
});

describe('deferSyncCallbacks (no synchronous callbacks from connect())', () => {
  it('a transport that opens and sends inside connect() is heard after connect() returned, in order', async () => {
    const eager: Transport = {
      kind: 'eager',
      connect({ handlers }) {
        handlers.onOpen();
        handlers.onMessage('first');
        return { send() {}, close() {} };
      },
    };
    const log: string[] = [];
    let returned = false;
    const handlers = {
      onOpen: () => log.push(`open returned=${returned}`),
      onMessage: (f: string) => log.push(`${f} returned=${returned}`),
      onError: () => {},
      onClose: () => {},
    };
    deferSyncCallbacks(eager).connect({ url: 'x://y', handlers });
    returned = true;
    expect(log).toEqual([]);
    await Promise.resolve();
    expect(log).toEqual(['open returned=true', 'first returned=true']);
  });
});

describe('aggregateState (what the connections add up to)', () => {
  const c = (phase: string, everOpened = false, attempts = 0) => ({ phase, everOpened, attempts });
  it('idle without connections or before running; open/polling when all are open; else reconnecting or connecting', () => {
    expect(aggregateState([c('open')], false, false)).toBe('idle');
    expect(aggregateState([], true, false)).toBe('idle');
    expect(aggregateState([c('open'), c('open')], true, false)).toBe('open');
    expect(aggregateState([c('open')], true, true)).toBe('polling');
    expect(aggregateState([c('open', true), c('connecting')], true, false)).toBe('connecting');
    expect(aggregateState([c('open', true), c('waiting', true, 1)], true, false)).toBe('reconnecting');
    expect(aggregateState([c('connecting', false, 2)], true, false)).toBe('reconnecting');
  });
});

describe('createPollCodec (the protocol side of a polling connection)', () => {
  it('de-duplicates snapshot bodies per request, and drops a refused channel from the next plan', () => {
    const spec = framePolling(presets.ares(), 1_000);
    const codec = createPollCodec(spec, 'http://feed.test', {});
    const plan = codec.plan([{ channel: 'dashboard', params: {} }]);
    expect(plan.requests.map((r) => r.url)).toEqual(['http://feed.test/poll/dashboard']);
    const body = JSON.stringify([{ type: 'pong' }, { type: 'metrics_update', timestamp: 't', data: { a: 1 } }]);
    const key = plan.requests[0]!.key;
    expect(codec.decode(body, key).map((i) => i.kind)).toEqual(['pong', 'event']);
    expect(codec.decode(body, key).map((i) => i.kind)).toEqual(['pong']); // unchanged snapshot: no event again
    expect(codec.decode(body, 'stale-key')).toEqual([]);

    const nativeCodec = createPollCodec(native().polling!, 'http://feed.test', { maxBytes: 100 });
    const first = nativeCodec.plan([
      { channel: 'prices', params: {} },
      { channel: 'nope', params: {} },
    ]);
    nativeCodec.decode(
      JSON.stringify({ events: [], next: { prices: 0 }, errors: { nope: { code: 'unknown_channel', message: '' } } }),
      first.requests[0]!.key,
    );
    expect(
      decodeURIComponent(
        nativeCodec.plan([
          { channel: 'prices', params: {} },
          { channel: 'nope', params: {} },
        ]).requests[0]!.url,
      ),
    ).toBe('http://feed.test/events?channels=prices&maxBytes=100');
  });
});
