/** A tab's proxy moving to a new host: what it posts there, in order. */
import { describe, expect, it } from 'vitest';
import { native } from '../../src/protocol/native.js';
import { createProxy } from '../../src/share/proxy.js';
import type { ShareInit } from '../../src/share/messages.js';
import { RecordingPort } from './fakes.js';

const init: ShareInit = { key: 'k', protocol: { name: 'native' }, options: {}, auth: false };

describe('tab proxy attach', () => {
  it('a subscription listener that sends when its state drops to pending is heard by the new host, after attach', async () => {
    const proxy = createProxy({ protocol: native(), init, options: {}, peer: 'p1', onClose: () => Promise.resolve() });
    const first = new RecordingPort();
    proxy.attach(first, 'worker');
    const sub = proxy.client.subscribe('prices');
    first.deliver({ t: 'sub', sid: 1, state: 'subscribed' });
    expect(sub.state).toBe('subscribed');
    sub.onState((state) => {
      if (state === 'pending') proxy.client.send({ op: 'hello-again' });
    });

    const next = new RecordingPort();
    proxy.attach(next, 'worker');
    const kinds = next.posted.map((m) => (m as { t: string }).t);
    // The host ignores a tab's messages before its attach: the send must come after it.
    expect(kinds).toEqual(['attach', 'send']);
    expect(next.posted[1]).toEqual({ t: 'send', message: { op: 'hello-again' } });
    expect(first.posted.map((m) => (m as { t: string }).t)).not.toContain('send');
    await proxy.client.close();
  });
});

describe('tab proxy handover: an event the old host sent before it went', () => {
  const tick = (seq: number) => ({
    t: 'event',
    type: 'price_update',
    data: { symbol: 'SOL', price: `${seq}.00`, change_24h: '0', ts: seq },
    meta: { type: 'price_update', channel: 'prices', seq },
  });

  it('arrives after the tab detached: delivered, and the next host is told the cursor after it (no hole)', async () => {
    const proxy = createProxy({ protocol: native(), init, options: {}, peer: 'p1', onClose: () => Promise.resolve() });
    const old = new RecordingPort();
    proxy.attach(old, 'follower');
    const seqs: number[] = [];
    proxy.client.subscribe('prices').on('price_update', (_tick, meta) => seqs.push(meta.seq!));
    old.deliver({ t: 'sub', sid: 1, state: 'subscribed' });
    for (let seq = 1; seq <= 20; seq++) old.deliver(tick(seq));
    // A new leader announced itself first: the tab leaves the old host…
    proxy.detach();
    // …whose last event, sent before its `gone`, is still on its way.
    old.deliver(tick(21));
    old.deliver({ t: 'gone' });
    const next = new RecordingPort();
    proxy.attach(next, 'follower');
    expect(seqs).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    // The new host resumes this tab from 21 (a new leader that had 21 replays from 22).
    expect((next.posted[0] as { cursors: Record<string, number> }).cursors).toEqual({ prices: 21 });
    next.deliver(tick(21)); // a host that replays it anyway: dropped, not delivered twice
    next.deliver(tick(22));
    expect(seqs.slice(-2)).toEqual([21, 22]);
    await proxy.client.close();
  });
});
