import { describe, expect, it, vi } from 'vitest';
import { resolveReconnect } from '../../../src/client/backoff.js';
import { Reports } from '../../../src/client/reports.js';
import { afterFailure } from '../../../src/client/retry.js';
import { Session } from '../../../src/client/session.js';
import { StateMachine } from '../../../src/client/state.js';
import { createRegistry } from '../../../src/client/subscriptions.js';
import type { StateChange } from '../../../src/client/types.js';
import { DashwireError } from '../../../src/errors.js';
import { native } from '../../../src/protocol/native.js';
import { deferSyncCallbacks } from '../../../src/transport/deferred.js';
import { expectRefused } from '../../setup/transitions.js';
import type { Transport } from '../../../src/transport/types.js';

describe('session (one socket\'s control frames)', () => {
  it('welcome: version kept, heartbeat floored to 1 s, and ignored when the user fixed the interval', () => {
    const session = new Session(native(), false);
    expect(session.control({ kind: 'welcome', version: '1.1', heartbeatMs: 10 })).toEqual({ kind: 'heartbeat', intervalMs: 1_000 });
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
    expect(session.control({ kind: 'error', code: 'busy', message: '', retryAfterMs: 3_000 })).toEqual({ kind: 'pass' });
    expect(session.takeRetryAfter()).toBe(3_000);
    expect(session.takeRetryAfter()).toBe(0);
    expect(session.control({ kind: 'error', code: 'unauthorized', message: '' })).toMatchObject({ kind: 'refused', error: { code: 'auth_failed' } });
    expect(session.refusedByClose(4001)).toBe(true);
    expect(session.control({ kind: 'event', type: 'x', data: {} })).toEqual({ kind: 'pass' });
    vi.useRealTimers();
  });
});

describe('afterFailure (the reconnect policy, pure)', () => {
  const base = { error: new DashwireError('connection_lost', 'lost'), protocol: native(), attempts: 0, toldMs: 0, refused: false, random: () => 1 };
  const reconnect = resolveReconnect({ initialDelayMs: 100, minDelayMs: 10, jitter: 'none', maxAttempts: 2 });
  it('fatal codes stop, refusals refresh, exhausted attempts stop, else retry after told + backoff', () => {
    expect(afterFailure({ ...base, reconnect, info: { code: 4003, reason: 'x', wasClean: true } })).toMatchObject({ kind: 'stop', error: { code: 'fatal_close' } });
    expect(afterFailure({ ...base, reconnect, info: undefined, refused: true })).toEqual({ kind: 'refresh' });
    expect(afterFailure({ ...base, reconnect, info: undefined, attempts: 2 })).toMatchObject({ kind: 'stop', error: { code: 'max_attempts' } });
    expect(afterFailure({ ...base, reconnect: false, info: undefined })).toMatchObject({ kind: 'stop', error: { code: 'connection_lost' } });
    expect(afterFailure({ ...base, reconnect, info: undefined, toldMs: 1_000 })).toEqual({ kind: 'retry', delayMs: 1_100 });
    expect(afterFailure({ ...base, reconnect, info: { code: 1013, reason: 'retry-after=2', wasClean: true } })).toEqual({ kind: 'retry', delayMs: 2_100 });
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
    expect(log.map((l) => l.replace('\u0000', ' '))).toEqual(['added trades {"symbols":["A"]}', 'removed trades {"symbols":["A"]}']);
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
