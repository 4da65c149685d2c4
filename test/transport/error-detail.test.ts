import { describe, expect, it } from 'vitest';
import { createClient, type DashwireError, type WebSocketConstructor, type WebSocketLike } from '../../src/index.js';

/** A socket that fails to connect the way a runtime reports it: an error event, then a close. */
function failingSocket(event: unknown): WebSocketConstructor {
  return class implements WebSocketLike {
    readonly readyState = 0;
    binaryType = 'blob';
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;
    constructor() {
      queueMicrotask(() => {
        this.onerror?.(event);
        this.onclose?.({ code: 1006, reason: '', wasClean: false });
      });
    }
    send(): void {}
    close(): void {}
  };
}

async function connectError(event: unknown, url = 'ws://feed.test/ws?token=s3cret'): Promise<DashwireError> {
  const client = createClient({ url, WebSocket: failingSocket(event), reconnect: { maxAttempts: 1 } });
  const error = await new Promise<DashwireError>((resolve) =>
    client.on('state', (s) => s.error?.code === 'connect_failed' && resolve(s.error)),
  );
  await client.close();
  return error;
}

describe('connect_failed says what the runtime said, without secrets', () => {
  it('ws: the OS reason on event.error', async () => {
    const error = await connectError({
      error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:23999'), { code: 'ECONNREFUSED' }),
    });
    expect(error.message).toBe('WebSocket error: connect ECONNREFUSED 127.0.0.1:23999');
  });

  it("Node's built-in WebSocket: the reason on error.cause", async () => {
    const error = await connectError({
      error: new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND feed.test') }),
    });
    expect(error.message).toBe('WebSocket error: getaddrinfo ENOTFOUND feed.test');
  });

  it('a message that quotes the URL loses its query (a token) and credentials', async () => {
    const url = 'ws://user:pw@feed.test/ws?token=s3cret';
    const error = await connectError({ message: `Unexpected server response: 401 from ${url}` }, url);
    expect(error.message).toContain('Unexpected server response: 401');
    expect(error.message).not.toMatch(/s3cret|pw@/);
  });

  it('browsers say nothing on purpose: the plain message stays', async () => {
    const error = await connectError({ type: 'error' });
    expect(error.message).toBe('WebSocket error');
  });
});
