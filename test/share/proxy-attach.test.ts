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
