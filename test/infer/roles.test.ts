import { describe, expect, it } from 'vitest';
import { eventNameOf, roleOf } from '../../src/infer/roles.js';
import { tallyTypes, typeSplitter, type TypeTally } from '../../src/infer/type-tally.js';

/** The tallies of messages given as [connection, type] pairs. */
function tallies(pairs: readonly [number, string][]): Map<string, TypeTally> {
  const server = pairs.map(([conn, type]) => ({ conn, msg: { type } }));
  return tallyTypes(server, typeSplitter('type', undefined), () => '/').tallies;
}

describe('roleOf', () => {
  it('names errors and heartbeat replies by their type name', () => {
    const t = tallies([
      [1, 'error'],
      [1, 'Fault'],
      [1, 'pong'],
      [1, 'heartbeat_ack'],
    ]);
    expect(roleOf('error', t.get('error')!, 1)).toEqual({ role: 'error', reason: 'named like an error' });
    expect(roleOf('Fault', t.get('Fault')!, 1).role).toBe('error');
    expect(roleOf('pong', t.get('pong')!, 1)).toEqual({ role: 'pong', reason: 'named like a heartbeat reply' });
    expect(roleOf('heartbeat_ack', t.get('heartbeat_ack')!, 1).role).toBe('pong');
  });

  it('a welcome-like name is the welcome only when it came once per connection', () => {
    const once = tallies([
      [1, 'hello'],
      [2, 'hello'],
    ]);
    expect(roleOf('hello', once.get('hello')!, 2)).toEqual({
      role: 'welcome',
      reason: 'named like a welcome, once on each of 2 connections',
    });
    const single = tallies([[1, 'ready']]);
    expect(roleOf('ready', single.get('ready')!, 1).reason).toBe('named like a welcome, once');
    const twice = tallies([
      [1, 'hello'],
      [1, 'hello'],
    ]);
    expect(roleOf('hello', twice.get('hello')!, 1).role).toBe('event');
  });

  it('an unnamed type is the welcome when it came first, once, on every one of two or more connections', () => {
    const t = tallies([
      [1, 'meta'],
      [1, 'tick'],
      [2, 'meta'],
      [2, 'tick'],
      [2, 'tick'],
    ]);
    expect(roleOf('meta', t.get('meta')!, 2)).toEqual({
      role: 'welcome',
      reason: 'first frame, once, on all 2 connections',
    });
    expect(roleOf('tick', t.get('tick')!, 2).role).toBe('event');
    // Not when a third connection never saw it, nor on a single connection.
    expect(roleOf('meta', t.get('meta')!, 3).role).toBe('event');
    const one = tallies([[1, 'meta']]);
    expect(roleOf('meta', one.get('meta')!, 1).role).toBe('event');
  });
});

describe('eventNameOf', () => {
  it('renames reserved event names and Object.prototype members, but never an error frame', () => {
    expect(eventNameOf('tick', 'event')).toBe('tick');
    expect(eventNameOf('state', 'event')).toBe('state_message');
    expect(eventNameOf('constructor', 'welcome')).toBe('constructor_message');
    expect(eventNameOf('__proto__', 'event')).toBe('__proto___message');
    expect(eventNameOf('error', 'error')).toBe('error');
  });
});
