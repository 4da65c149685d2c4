import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../src/server/dialect.js';
import { channelPage, overheadBytes, utf8Bytes, type Budget } from '../../src/server/native-poll-page.js';
import { fakeHost } from './fakes.js';

/** Each event's frame is its data string, so sizes are easy to reckon. */
const encode = (event: FeedEvent) => String(event.data);
const budget = (events: number, bytes = 1_000, room = bytes): Budget => ({ events, bytes, room });

describe('native poll page', () => {
  it('counts UTF-8 bytes, ASCII or not', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é€')).toBe(5);
  });

  it('serves from "now" without a cursor: no events, the last seq as next', () => {
    const host = fakeHost();
    host.publish('prices', 't', 'a');
    expect(channelPage(host, encode, 'prices', undefined, budget(10))).toMatchObject({
      frames: [],
      next: 1,
      recovered: true,
      more: false,
    });
  });

  it('serves events after the cursor and spends the shared budget', () => {
    const host = fakeHost();
    for (const data of ['aa', 'bb', 'cc']) host.publish('prices', 't', data);
    const shared = budget(2);
    const page = channelPage(host, encode, 'prices', 0, shared);
    expect(page).toMatchObject({ frames: ['aa', 'bb'], next: 2, recovered: true, more: true });
    expect(shared).toMatchObject({ events: 0, bytes: 1_000 - 6 });
    // The second channel of the same response finds the budget spent.
    host.publish('trades', 't', 'x');
    expect(channelPage(host, encode, 'trades', 0, shared)).toMatchObject({ frames: [], next: 0, more: true });
  });

  it('stops at the byte budget, and skips an event no page could ever hold', () => {
    const host = fakeHost();
    for (const data of ['aa', 'x'.repeat(50), 'bb', 'cc']) host.publish('prices', 't', data);
    const page = channelPage(host, encode, 'prices', 0, budget(10, 7, 20));
    // 'aa' (3 bytes with its comma), the 51-byte event skipped, 'bb' (3), then 'cc' does not fit.
    expect(page).toMatchObject({ frames: ['aa', 'bb'], next: 3, recovered: true, more: true });
  });

  it('reports a skipped last event as not recovered, so the gap shows at once', () => {
    const host = fakeHost();
    for (const data of ['aa', 'x'.repeat(50)]) host.publish('prices', 't', data);
    expect(channelPage(host, encode, 'prices', 0, budget(10, 100, 20))).toMatchObject({
      frames: ['aa'],
      next: 2,
      recovered: false,
    });
  });

  it('serves no partial history when the buffer no longer reaches the cursor', () => {
    const host = fakeHost({ buffer: 2 });
    for (const data of ['a', 'b', 'c', 'd']) host.publish('prices', 't', data);
    expect(channelPage(host, encode, 'prices', 1, budget(10))).toMatchObject({
      frames: [],
      next: 4,
      recovered: false,
      more: false,
    });
  });

  it('tags a page by cursor and buffer, so a later page is not answered 304', () => {
    const host = fakeHost();
    for (const data of ['a', 'b']) host.publish('prices', 't', data);
    const first = channelPage(host, encode, 'prices', 0, budget(10)).tag;
    expect(channelPage(host, encode, 'prices', 0, budget(10)).tag).toBe(first);
    expect(channelPage(host, encode, 'prices', 1, budget(10)).tag).not.toBe(first);
  });

  it('bounds the body without events from above', () => {
    const host = fakeHost();
    for (let i = 0; i < 12; i += 1) host.publish('prices', 't', 'a');
    const body = JSON.stringify({ events: [], next: { prices: 12, trades: 0 }, recovered: { prices: false } });
    expect(overheadBytes(['prices', 'trades'], host)).toBeGreaterThanOrEqual(utf8Bytes(body));
  });
});
