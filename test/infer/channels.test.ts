import { describe, expect, it } from 'vitest';
import { channelOfType, channelRouting, pathOf } from '../../src/infer/channels.js';
import { clientFramesModel, type ClientFrame } from '../../src/infer/client-frames.js';
import { tallyTypes, typeSplitter } from '../../src/infer/type-tally.js';

const clientFrames = (msgs: readonly Record<string, unknown>[]): ClientFrame[] =>
  msgs.map((msg, i) => ({ conn: 1, t: i, msg }));

/** Routing and tallies for server messages on one path, and these client frames. */
function routed(server: readonly Record<string, unknown>[], client: readonly Record<string, unknown>[]) {
  const { tallies } = tallyTypes(
    server.map((msg) => ({ conn: 1, msg })),
    typeSplitter('type', undefined),
    () => '/ws',
  );
  const frames = clientFrames(client);
  const routing = channelRouting(['ws://h/ws'], frames, clientFramesModel(frames), tallies);
  return { routing, channelOf: (type: string) => channelOfType(routing, type, tallies.get(type)!) };
}

describe('channel routing', () => {
  it('pathOf is the URL path, or / when the URL does not parse', () => {
    expect(pathOf('wss://h:1/feeds/a?token=x')).toBe('/feeds/a');
    expect(pathOf('not a url')).toBe('/');
  });

  it('endpoints: two or more URL paths are one channel each, named by the last segment unless taken', () => {
    const { tallies } = tallyTypes(
      [
        { conn: 1, msg: { type: 'tick' } },
        { conn: 2, msg: { type: 'tick' } },
        { conn: 2, msg: { type: 'tick' } },
      ],
      typeSplitter('type', undefined),
      (conn) => (conn === 1 ? '/a/prices' : '/b/prices'),
    );
    const urls = ['ws://h/a/prices', 'ws://h/b/prices', 'ws://h/a/prices'];
    const routing = channelRouting(urls, [], clientFramesModel([]), tallies);
    expect(routing).toEqual({
      mode: 'endpoints',
      channels: [
        { name: 'prices', path: '/a/prices' },
        { name: '/b/prices', path: '/b/prices' },
      ],
      channelField: undefined,
    });
    expect(channelOfType(routing, 'tick', tallies.get('tick')!)).toEqual({
      channel: '/b/prices',
      reason: 'received on /b/prices (2/3)',
    });
  });

  it('frames: channels come from subscribe frames in order, and types match them by name', () => {
    const { routing, channelOf } = routed(
      [{ type: 'trade' }, { type: 'BookUpdate' }, { type: 'other' }],
      [
        { op: 'subscribe', channel: 'trades' },
        { op: 'ping' },
        { op: 'subscribe', channel: 'book' },
        { op: 'subscribe', channel: 'trades' },
      ],
    );
    expect(routing.mode).toBe('frames');
    expect(routing.channels).toEqual([{ name: 'trades' }, { name: 'book' }]);
    expect(routing.channelField).toBeUndefined();
    expect(channelOf('trade')).toEqual({ channel: 'trades', reason: 'type name starts with "trades"' });
    expect(channelOf('BookUpdate').channel).toBe('book');
    expect(channelOf('other')).toEqual({ channel: undefined, reason: 'no subscribed channel matches the type name' });
  });

  it('frames: messages that always carry the subscribe field as a string name their own channel', () => {
    const { routing, channelOf } = routed(
      [
        { type: 'update', channel: 'trades' },
        { type: 'update', channel: 'book' },
        { type: 'trade_summary', channel: 7 },
      ],
      [{ op: 'subscribe', channel: 'trades' }],
    );
    expect(routing.channelField).toBe('channel');
    expect(channelOf('update')).toEqual({ channel: undefined, reason: `the message's "channel" field (2/2)` });
    expect(channelOf('trade_summary').channel).toBe('trades');
  });

  it('filter: without subscribe frames each type is its own client-side channel', () => {
    const { routing, channelOf } = routed([{ type: 'tick' }], [{ op: 'ping' }]);
    expect(routing).toEqual({ mode: 'filter', channels: [], channelField: undefined });
    expect(channelOf('tick')).toEqual({ channel: 'tick', reason: 'client-side channel named after the type' });
  });
});
