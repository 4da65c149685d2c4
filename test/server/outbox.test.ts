import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutbox } from '../../src/server/outbox.js';

/** A socket that records, in one list, the frames and the close that reached it. */
function recordingSocket() {
  const log: string[] = [];
  return {
    log,
    socket: {
      send: (frame: string) => void log.push(frame),
      close: (code?: number, reason?: string) => void log.push(`close ${code} ${reason}`),
    },
  };
}

describe('outbox', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends at once without a delay, and nothing after a close', () => {
    const { log, socket } = recordingSocket();
    const outbox = createOutbox(socket, { silenced: false, delayMs: 0 }, Date.now);
    outbox.send('a');
    outbox.close(4001, 'unauthorized');
    outbox.send('b');
    outbox.close(1000, '');
    expect(log).toEqual(['a', 'close 4001 unauthorized']);
    expect(outbox.open).toBe(false);
  });

  it('holds frames and the close for the delay, in the order queued', async () => {
    const { log, socket } = recordingSocket();
    const faults = { silenced: false, delayMs: 100 };
    const outbox = createOutbox(socket, faults, Date.now);
    outbox.send('a');
    outbox.send('b');
    outbox.close(1011, 'internal error');
    outbox.send('after close');
    await vi.advanceTimersByTimeAsync(99);
    expect(log).toEqual([]);
    expect(outbox.open).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['a', 'b', 'close 1011 internal error']);
    expect(outbox.open).toBe(false);
  });

  it('keeps order when the delay is lifted while frames wait', async () => {
    const { log, socket } = recordingSocket();
    const faults = { silenced: false, delayMs: 50 };
    const outbox = createOutbox(socket, faults, Date.now);
    outbox.send('delayed');
    faults.delayMs = 0;
    outbox.send('undelayed');
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(log).toEqual(['delayed', 'undelayed']);
  });

  it('drops frames while silenced but still lets a close out', async () => {
    const { log, socket } = recordingSocket();
    const faults = { silenced: false, delayMs: 10 };
    const outbox = createOutbox(socket, faults, Date.now);
    outbox.send('queued before silence');
    faults.silenced = true;
    outbox.send('sent while silenced');
    outbox.close(1000, 'bye');
    await vi.advanceTimersByTimeAsync(10);
    expect(log).toEqual(['close 1000 bye']);
  });

  it('sends nothing more once discarded, even what was queued', async () => {
    const { log, socket } = recordingSocket();
    const outbox = createOutbox(socket, { silenced: false, delayMs: 20 }, Date.now);
    outbox.send('a');
    outbox.discard();
    outbox.send('b');
    await vi.advanceTimersByTimeAsync(100);
    expect(log).toEqual([]);
    expect(outbox.open).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
