import { describe, expect, it } from 'vitest';
import { createClient, type Connection, type ConnectRequest, type Transport } from '../../src/index.js';
import { flush } from '../helpers/scripted-server.js';

/** A user-written transport that reports everything synchronously, inside connect(). */
function eagerTransport(sent: string[], mode: 'open' | 'refuse'): Transport {
  return {
    kind: 'eager',
    connect({ handlers }: ConnectRequest): Connection {
      const connection: Connection = {
        send: (frame) => {
          sent.push(frame);
          const msg = JSON.parse(frame) as { op: string; id: number; channel: string };
          if (msg.op === 'subscribe')
            handlers.onMessage(JSON.stringify({ op: 'ack', id: msg.id, channel: msg.channel, seq: 0 }));
        },
        close: () => handlers.onClose({ code: 1000, reason: '', wasClean: true }),
      };
      if (mode === 'open') handlers.onOpen();
      else {
        handlers.onError(new (class extends Error {})('refused') as never);
        handlers.onClose({ code: 1006, reason: 'refused', wasClean: false });
      }
      return connection;
    },
  };
}

describe('a transport that calls back synchronously inside connect()', () => {
  it('still gets the auth frame and the subscribes', async () => {
    const sent: string[] = [];
    const client = createClient({
      url: 'x://eager',
      transport: eagerTransport(sent, 'open'),
      auth: { token: () => 'tok' },
    });
    const sub = client.subscribe('prices');
    await flush();
    expect(client.state).toBe('open');
    expect(sent.map((f) => (JSON.parse(f) as { op: string }).op)).toEqual(['auth', 'subscribe']);
    await expect(sub.ready).resolves.toBeUndefined();
    await client.close();
  });

  it('counts a synchronous refusal as a failed attempt and retries', async () => {
    const sent: string[] = [];
    const client = createClient({
      url: 'x://eager',
      transport: eagerTransport(sent, 'refuse'),
      reconnect: { initialDelayMs: 5, minDelayMs: 1, maxAttempts: 2 },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(client.state).toBe('closed');
    expect(client.error?.code).toBe('max_attempts');
  });
});
