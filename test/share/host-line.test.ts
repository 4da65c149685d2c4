/** A tab's line to its current host: posting, holding between hosts, swapping ports. */
import { describe, expect, it } from 'vitest';
import { createHostLine } from '../../src/share/host-line.js';
import { RecordingPort } from './fakes.js';

describe('host line', () => {
  it('between hosts: state messages are dropped, queued ones wait and go out in order after the next attach', () => {
    const line = createHostLine();
    expect(line.mode).toBe('waiting');
    expect(line.post({ t: 'connect' })).toBe(false);
    expect(line.queue({ t: 'send', message: 'a' })).toBe(true);
    expect(line.queue({ t: 'polling' })).toBe(true);
    expect(line.held).toBe(2);

    const port = new RecordingPort();
    line.attach(port, 'worker', () => {});
    expect(line.attached).toBe(true);
    expect(line.mode).toBe('worker');
    expect(port.posted).toEqual([]); // nothing goes out before the owner's attach message
    line.post({ t: 'stats' });
    line.flush();
    expect(port.posted).toEqual([{ t: 'stats' }, { t: 'send', message: 'a' }, { t: 'polling' }]);
    expect(line.held).toBe(0);
    line.queue({ t: 'send', message: 'b' });
    expect(port.posted.at(-1)).toEqual({ t: 'send', message: 'b' });
  });

  it("hands the host's messages to the receiver, and a new port silences the old one", () => {
    const line = createHostLine();
    const got: string[] = [];
    const first = new RecordingPort();
    const second = new RecordingPort();
    line.attach(first, 'follower', (message) => got.push(`first:${message.t}`));
    first.deliver({ t: 'stats' });
    line.attach(second, 'leader', (message) => got.push(`second:${message.t}`));
    expect(first.onmessage).toBeNull();
    second.deliver({ t: 'gone' });
    line.post({ t: 'connect' });
    expect(got).toEqual(['first:stats', 'second:gone']);
    expect(first.posted).toEqual([]);
    expect(second.posted).toEqual([{ t: 'connect' }]);
    expect(line.mode).toBe('leader');
  });

  it('detach: waiting; the old port still delivers the events it sent before it went, nothing else, until the next attach', () => {
    const line = createHostLine();
    const got: string[] = [];
    const port = new RecordingPort();
    const event = (seq: number) => ({ t: 'event', type: 'tick', data: {}, meta: { type: 'tick', channel: 'c', seq } });
    line.attach(port, 'follower', (message) =>
      got.push(message.t === 'event' ? `event ${message.meta.seq}` : message.t),
    );
    line.detach();
    expect(line.attached).toBe(false);
    expect(line.mode).toBe('waiting');
    port.deliver({ t: 'stats', stats: {} });
    port.deliver(event(21)); // sent by the old host before its `gone`, still on its way
    port.deliver({ t: 'gone' });
    expect(got).toEqual(['event 21']);
    const next = new RecordingPort();
    line.attach(next, 'follower', (message) => got.push(`next:${message.t}`));
    expect(port.onmessage).toBeNull();
    port.deliver(event(22));
    next.deliver(event(23));
    expect(got).toEqual(['event 21', 'next:event']);
  });

  it('a message the port refuses (cannot be cloned) is reported as not posted', () => {
    const line = createHostLine();
    line.attach(new RecordingPort(), 'worker', () => {});
    expect(line.post({ t: 'send', message: { run: () => 1 } })).toBe(false);
    expect(line.queue({ t: 'send', message: { run: () => 1 } })).toBe(false);
  });
});
