import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNativeHandshake, nativeProtocolVersion } from '../../src/server/native-handshake.js';
import { fakeClient, fakeHost } from './fakes.js';

/** A handshake whose handled frames are recorded as `clientId:frame`. */
function setup(authTimeoutMs = 1_000) {
  const handled: string[] = [];
  const handshake = createNativeHandshake(authTimeoutMs, (client, frame) => void handled.push(`${client.id}:${frame}`));
  return { handled, handshake };
}

const auth = (token: string) => JSON.stringify({ op: 'auth', token });

describe('native handshake', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('welcomes at once on a server without auth, then hands every frame on', () => {
    const { handled, handshake } = setup();
    const client = fakeClient();
    const host = fakeHost();
    handshake.open(client, host);
    expect(client.frames()).toEqual([
      { op: 'welcome', session: expect.any(String), version: nativeProtocolVersion, heartbeatMs: 15_000 },
    ]);
    handshake.message(client, 'frame', host);
    expect(handled).toEqual([`${client.id}:frame`]);
  });

  it('welcomes after an accepted auth frame, and refuses anything else first with 4001', () => {
    const { handled, handshake } = setup();
    const host = fakeHost({ auth: (token) => token === 'good' });
    const good = fakeClient();
    handshake.open(good, host);
    expect(good.sent).toEqual([]);
    handshake.message(good, auth('good'), host);
    expect(good.frames().map((f) => f.op)).toEqual(['welcome']);
    const bad = fakeClient();
    handshake.open(bad, host);
    handshake.message(bad, '{"op":"subscribe","id":1,"channel":"prices"}', host);
    handshake.message(bad, auth('good'), host);
    expect(bad.frames()).toEqual([
      { op: 'error', code: 'unauthorized', message: 'the first frame must be {"op":"auth","token":"…"}' },
    ]);
    expect(bad.closedWith).toEqual({ code: 4001, reason: 'unauthorized' });
    expect(handled).toEqual([]);
  });

  it('holds frames pipelined behind an async auth frame and hands them on after the welcome', async () => {
    const { handled, handshake } = setup();
    let accept: (ok: boolean) => void = () => {};
    const host = fakeHost({ auth: () => new Promise<boolean>((resolve) => (accept = resolve)) });
    const client = fakeClient();
    handshake.open(client, host);
    handshake.message(client, auth('slow'), host);
    handshake.message(client, 'first', host);
    handshake.message(client, 'second', host);
    expect(handled).toEqual([]);
    accept(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(client.frames().map((f) => f.op)).toEqual(['welcome']);
    expect(handled).toEqual([`${client.id}:first`, `${client.id}:second`]);
  });

  it('drops the held frames when the async check refuses, or when the client left meanwhile', async () => {
    const { handled, handshake } = setup();
    const host = fakeHost({ auth: () => Promise.resolve(false) });
    const refused = fakeClient();
    handshake.open(refused, host);
    handshake.message(refused, auth('t'), host);
    handshake.message(refused, 'held', host);
    const gone = fakeClient();
    handshake.open(gone, fakeHost({ auth: () => Promise.resolve(true) }));
    handshake.message(gone, auth('t'), host);
    handshake.closed(gone);
    await vi.advanceTimersByTimeAsync(0);
    expect(refused.closedWith?.code).toBe(4001);
    expect(gone.sent).toEqual([]);
    expect(handled).toEqual([]);
  });

  it('refuses a connection that sends no auth frame in time, and not one that closed', async () => {
    const { handshake } = setup(500);
    const host = fakeHost({ auth: () => true });
    const silent = fakeClient();
    const left = fakeClient();
    handshake.open(silent, host);
    handshake.open(left, host);
    handshake.closed(left);
    await vi.advanceTimersByTimeAsync(499);
    expect(silent.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(silent.frames()).toEqual([{ op: 'error', code: 'unauthorized', message: 'no auth frame within 500 ms' }]);
    expect(silent.closedWith?.code).toBe(4001);
    expect(left.sent).toEqual([]);
  });
});
