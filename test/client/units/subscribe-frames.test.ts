import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/client/connection-types.js';
import { createSubscribeFrames } from '../../../src/client/subscribe-frames.js';
import { createRegistry } from '../../../src/client/subscriptions.js';
import { defineProtocol } from '../../../src/protocol/define.js';
import { native } from '../../../src/protocol/native.js';

function setup(protocol = native(), cursor: { since?: number } = { since: 41 }) {
  const registry = createRegistry({ handlerError: () => {}, unsubscribeDelayMs: 0 });
  const sent: unknown[] = [];
  const connection = {
    managesChannels: false,
    serverVersion: '1.0',
    send: (frame: string) => sent.push(JSON.parse(frame)),
  } as unknown as Connection;
  const frames = createSubscribeFrames({ protocol, registry, receive: { since: () => cursor.since } });
  const sub = registry.acquire('prices', { symbols: ['A'] });
  const wire = [...registry.all()][0]!;
  return { frames, registry, connection, sent, sub, wire };
}

describe('subscribe frames (alone)', () => {
  it('numbers subscribe and unsubscribe frames from one counter, resumes with since, and awaits the ack', () => {
    const { frames, registry, connection, sent, sub, wire } = setup();
    frames.subscribe(connection, wire);
    expect(sent).toEqual([{ op: 'subscribe', id: 1, channel: 'prices', params: { symbols: ['A'] }, since: 41 }]);
    expect(sub.state).toBe('pending');
    registry.takePending(1, 'prices')?.setState('subscribed');
    expect(sub.state).toBe('subscribed');
    // native 1.0 ends the whole channel on unsubscribe: the caller must renew the siblings
    expect(frames.unsubscribe(connection, wire)).toBe(true);
    expect(sent[1]).toEqual({ op: 'unsubscribe', id: 2, channel: 'prices', params: { symbols: ['A'] } });
  });

  it('renew re-sends a live wire without moving it back to pending; a polling connection needs no frame', () => {
    const { frames, connection, sent, sub, wire } = setup();
    wire.setState('subscribed');
    frames.subscribe(connection, wire, true);
    expect(sent).toHaveLength(1);
    expect(sub.state).toBe('subscribed');
    const polling = { ...connection, managesChannels: true } as Connection;
    const other = setup();
    frames.subscribe(polling, other.wire);
    expect(other.sub.state).toBe('subscribed');
    expect(sent).toHaveLength(1);
  });

  it('a protocol without acks is subscribed when its frame is sent; one without unsubscribe frames sends none', () => {
    const quiet = defineProtocol({ ...native(), name: 'no-acks', acks: false, encodeUnsubscribe: () => null });
    const { frames, connection, sent, sub, wire } = setup(quiet, {});
    frames.subscribe(connection, wire);
    expect(sub.state).toBe('subscribed');
    expect(sent).toEqual([{ op: 'subscribe', id: 1, channel: 'prices', params: { symbols: ['A'] } }]);
    expect(frames.unsubscribe(connection, wire)).toBe(false);
    expect(sent).toHaveLength(1);
  });
});
