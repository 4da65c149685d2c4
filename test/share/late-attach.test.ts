/**
 * A tab that attaches to a host after its connection started (a follower re-attaching after a
 * leader handover): it gets what went by after its cursor, before live events, or a gap.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.js';
import type { EventCatalog } from '../../src/events.js';
import type { Client } from '../../src/client/types.js';
import { createChannelHistory } from '../../src/share/channel-history.js';
import { createShareHost } from '../../src/share/host.js';
import type { ShareInit, TabMessage } from '../../src/share/messages.js';
import { fakeTransport, settle } from '../helpers/fake-transport.js';
import { RecordingPort } from './fakes.js';

const init: ShareInit = { key: 'k', protocol: { name: 'native' }, options: {}, auth: false };
const attach = (peer: string, cursors: Record<string, number>, listening: string[] = []): TabMessage => ({
  t: 'attach',
  peer,
  init,
  cursors,
  subs: [{ sid: 1, channel: 'prices', params: {} }],
  listening,
  connect: true,
});
const tick = (seq: number) => ({
  op: 'event',
  channel: 'prices',
  seq,
  type: 'price_update',
  data: { symbol: 'SOL', price: `${seq}.00`, change_24h: '0', ts: seq },
});
const seqsOf = (port: RecordingPort) =>
  port.posted.filter((m) => (m as { t: string }).t === 'event').map((m) => (m as { meta: { seq: number } }).meta.seq);

async function hostWithFeed(perChannelSeqs: number) {
  const fake = fakeTransport();
  let client: Client<EventCatalog> | undefined;
  const host = createShareHost((_init, resume) => {
    client = createClient({ url: 'ws://feed.test/ws', transport: fake.transport, heartbeat: false, resume });
    return client;
  });
  const first = new RecordingPort();
  host.accept(first);
  first.deliver(attach('a', { prices: 0 }));
  const socket = await settle(() => fake.latest);
  socket.open();
  const subscribe = socket.frames().find((f) => f.op === 'subscribe')!;
  socket.message({ op: 'ack', id: subscribe.id, channel: 'prices', seq: 0 });
  for (let seq = 1; seq <= perChannelSeqs; seq++) socket.message(tick(seq));
  await settle(() => seqsOf(first).length === perChannelSeqs || undefined);
  return { host, first, socket, close: () => Promise.all([host.close(), client?.close()]) };
}

describe('share host: a tab that attaches late', () => {
  it('gets the events after its cursor that went by before it attached, in order, then the live ones', async () => {
    const { host, socket, close } = await hostWithFeed(5);
    const late = new RecordingPort();
    host.accept(late);
    late.deliver(attach('b', { prices: 2 }));
    expect(seqsOf(late)).toEqual([3, 4, 5]);
    socket.message(tick(6));
    await settle(() => seqsOf(late).length === 4 || undefined);
    expect(seqsOf(late)).toEqual([3, 4, 5, 6]);
    await close();
  });

  it('a tab further behind than the history: a gap for what is gone, then what is kept', () => {
    const history = createChannelHistory(4);
    for (let seq = 1; seq <= 10; seq++)
      history.record({ type: 't', data: seq, meta: { type: 't', channel: 'prices', seq } });
    const { events, complete } = history.after('prices', 2);
    expect(complete).toBe(false);
    // Trimmed in blocks: at least the last 4 are kept, in order, none at or before the cursor.
    const seqs = events.map((e) => e.meta.seq);
    expect(seqs.slice(-4)).toEqual([7, 8, 9, 10]);
    expect(seqs.every((s, i) => s! > 2 && (i === 0 || s! === seqs[i - 1]! + 1))).toBe(true);
    expect(history.after('prices', 9)).toEqual({ events: [events.at(-1)], complete: true });
  });

  it('posts that gap to a late tab that listens for gaps, before the kept events', async () => {
    const { host, close } = await hostWithFeed(1_300);
    const late = new RecordingPort();
    host.accept(late);
    late.deliver(attach('b', { prices: 10 }, ['gap']));
    const kinds = late.posted.map((m) => (m as { t: string }).t).filter((t) => t !== 'state' && t !== 'sub');
    const seqs = seqsOf(late);
    expect(kinds[0]).toBe('life');
    expect(late.posted.find((m) => (m as { t: string }).t === 'life')).toEqual({
      t: 'life',
      event: 'gap',
      payload: { channel: 'prices', fromSeq: 11, toSeq: seqs[0]! - 1 },
    });
    expect(seqs.length).toBeGreaterThanOrEqual(1_000);
    expect(seqs.at(-1)).toBe(1_300);
    await close();
  });
});
