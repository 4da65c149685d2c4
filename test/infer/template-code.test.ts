import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrameTemplate } from '../../src/infer/client-frames.js';
import { templateExpression } from '../../src/infer/template-code.js';

const template = (over: Partial<FrameTemplate> & Pick<FrameTemplate, 'frame'>): FrameTemplate => ({
  count: 1,
  channelPath: undefined,
  channelIsList: false,
  paramsPath: [],
  idPath: undefined,
  times: [],
  ...over,
});

/** The frame the expression sends for this channel, id and params. */
function sent(code: string, scope: { channel?: string; id?: number; params?: object } = {}): Record<string, unknown> {
  return runInNewContext(`(${code})`, { Date, Math, ...scope }) as Record<string, unknown>;
}

describe('templateExpression', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fills in channel and id, spreads params beside the channel, and lets params override only recorded values', () => {
    const t = template({
      frame: { depth: 5, action: 'subscribe', channel: 'trades', req_id: 3 },
      channelPath: ['channel'],
      idPath: ['req_id'],
    });
    const code = templateExpression(t, 'action', true);
    expect(code).toBe("{ action: 'subscribe', depth: 5, ...params, channel, req_id: id }");
    const frame = sent(code, { channel: 'book', id: 9, params: { depth: 10, channel: 'x', req_id: 0 } });
    expect(frame).toEqual({ action: 'subscribe', depth: 10, channel: 'book', req_id: 9 });
    expect(Object.keys(frame)[0]).toBe('action');
  });

  it('puts the channel back in a list, and spreads params into the params object the frame has', () => {
    const t = template({
      frame: { op: 'sub', args: { channels: ['trades'], limit: 1 } },
      channelPath: ['args', 'channels'],
      channelIsList: true,
      paramsPath: ['args'],
    });
    const frame = sent(templateExpression(t, 'op', true), { channel: 'book', params: { limit: 2 } });
    expect(frame).toEqual({ op: 'sub', args: { limit: 2, channels: ['book'] } });
  });

  it('refreshes recorded timestamps in their form when the frame is sent, also one object down', () => {
    vi.useFakeTimers({ now: Date.parse('2026-03-04T05:06:07.890Z') });
    const t = template({
      frame: { type: 'ping', at: '2020-01-01T00:00:00Z', meta: { ts: 1_600_000_000_000, local: 'x', s: 1 } },
      times: [
        { path: ['at'], form: 'iso' },
        { path: ['meta', 'ts'], form: 'ms' },
        { path: ['meta', 'local'], form: 'naive' },
        { path: ['meta', 's'], form: 's' },
      ],
    });
    expect(sent(templateExpression(t, 'type', false))).toEqual({
      type: 'ping',
      at: '2026-03-04T05:06:07.890Z',
      meta: { ts: Date.parse('2026-03-04T05:06:07.890Z'), local: '2026-03-04T05:06:07', s: 1772600767 },
    });
  });

  it('without params (a ping) nothing is spread, and an empty frame is an empty object', () => {
    const t = template({ frame: { type: 'ping', extra: { a: [1] } } });
    expect(templateExpression(t, 'type', false)).toBe("{ type: 'ping', extra: { a: [1] } }");
    expect(templateExpression(template({ frame: {} }), 'type', true)).toBe('{ ...params }');
    expect(templateExpression(template({ frame: {} }), 'type', false)).toBe('{}');
  });
});
