/** The connection state a tab's shared client shows, across hosts that come and go. */
import { describe, expect, it } from 'vitest';
import { SafeEmitter } from '../../src/client/emitter.js';
import type { StateChange } from '../../src/client/types.js';
import { DashwireError } from '../../src/errors.js';
import { createTabState } from '../../src/share/tab-state.js';

function setup() {
  const emitter = new SafeEmitter((error) => {
    throw error;
  });
  const changes: string[] = [];
  emitter.on('state', (change: StateChange) => {
    changes.push(`${change.previous}>${change.current}${change.error ? ` (${change.error.code})` : ''}`);
  });
  return { state: createTabState(emitter), changes };
}

describe('tab state', () => {
  it('follows the host and emits each change once', () => {
    const { state, changes } = setup();
    expect(state.state).toBe('idle');
    expect(state.set('connecting', undefined)).toBe(true);
    expect(state.set('connecting', undefined)).toBe(false);
    expect(state.set('open', undefined)).toBe(true);
    expect(changes).toEqual(['idle>connecting', 'connecting>open']);
  });

  it('once open, a new host starting from idle or connecting is a reconnect to this tab', () => {
    const { state, changes } = setup();
    state.set('open', undefined);
    state.set('reconnecting', undefined); // the host went away
    state.set('idle', undefined); // the next host's client, before it connects
    state.set('connecting', undefined);
    state.set('polling', undefined);
    expect(state.state).toBe('polling');
    expect(changes).toEqual(['idle>open', 'open>reconnecting', 'reconnecting>polling']);
  });

  it('keeps the last error until the connection opens again', () => {
    const { state, changes } = setup();
    const lost = new DashwireError('connection_lost', 'lost');
    state.set('reconnecting', lost);
    state.set('connecting', undefined);
    expect(state.error).toBe(lost);
    state.set('open', undefined);
    expect(state.error).toBeUndefined();
    expect(changes).toEqual([
      'idle>reconnecting (connection_lost)',
      'reconnecting>connecting (connection_lost)',
      'connecting>open',
    ]);
  });

  it('closed is final: the host reports no longer count', () => {
    const { state, changes } = setup();
    state.set('open', undefined);
    state.close(new DashwireError('auth_failed', 'refused'));
    expect(state.set('open', undefined)).toBe(false);
    expect(state.state).toBe('closed');
    expect(state.error?.code).toBe('auth_failed');
    expect(changes).toEqual(['idle>open', 'open>closed (auth_failed)']);
  });
});
