import { describe, expect, it } from 'vitest';
import { Conn, Timeout } from '../../../src/cli/conformance/connection.js';
import { useCleanup } from '../../helpers/cleanup.js';
import { waitFor } from '../../helpers/wait.js';
import { scriptServer } from './script-server.js';

describe('conformance connection (Conn)', () => {
  const track = useCleanup();

  it('keeps every frame in arrival order: batches unrolled, text and binary alike, junk as marker frames', async () => {
    const server = track(
      await scriptServer((ws) => {
        ws.send(JSON.stringify({ op: 'welcome', session: 's' }));
        ws.send(
          JSON.stringify([
            { op: 'event', seq: 1 },
            { op: 'event', seq: 2 },
          ]),
        );
        ws.send(Buffer.from(JSON.stringify({ op: 'event', seq: 3 })), { binary: true });
        ws.send('not json {');
        ws.send('42');
        ws.send(JSON.stringify([{ op: 'event', seq: 4 }, 'text in a batch']));
      }),
    );
    const conn = track(await Conn.open(server.url, 1_000));
    await waitFor(() => conn.frames.length === 8);
    expect(conn.frames).toEqual([
      { op: 'welcome', session: 's' },
      { op: 'event', seq: 1 },
      { op: 'event', seq: 2 },
      { op: 'event', seq: 3 },
      { op: '(not JSON)' },
      { op: '(not an object)' },
      { op: 'event', seq: 4 },
      { op: '(not an object)' },
    ]);
  });

  it('next() waits for the first match at or after `from`, also one that arrives later', async () => {
    let socket: import('ws').WebSocket | undefined;
    const server = track(
      await scriptServer((ws) => {
        socket = ws;
        ws.send(JSON.stringify({ op: 'pong', id: 1 }));
      }),
    );
    const conn = track(await Conn.open(server.url, 1_000));
    expect(await conn.next((f) => f.op === 'pong', 1_000)).toEqual({ op: 'pong', id: 1 });
    const later = conn.next((f) => f.op === 'pong', 2_000, 1);
    socket!.send(JSON.stringify({ op: 'ack', id: 2 }));
    socket!.send(JSON.stringify({ op: 'pong', id: 3 }));
    expect(await later).toEqual({ op: 'pong', id: 3 });
  });

  it('next() rejects with a Timeout that says how long it waited when nothing matches', async () => {
    const server = track(await scriptServer((ws) => ws.send(JSON.stringify({ op: 'welcome' }))));
    const conn = track(await Conn.open(server.url, 1_000));
    const error = await conn.next((f) => f.op === 'pong', 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Timeout);
    expect((error as Error).message).toBe('nothing within 30 ms');
  });

  it("waitClosed() resolves with the server's close code and reason", async () => {
    const server = track(await scriptServer((ws) => ws.close(4001, 'unauthorized')));
    const conn = track(await Conn.open(server.url, 1_000));
    expect(await conn.waitClosed(2_000)).toEqual({ code: 4001, reason: 'unauthorized' });
  });

  it('send() writes strings as they are and anything else as JSON; after the close it does nothing', async () => {
    const server = track(await scriptServer());
    const conn = track(await Conn.open(server.url, 1_000));
    conn.send('{"op":"ping","id":1}');
    conn.send({ op: 'ping', id: 2 });
    await waitFor(() => server.received.length === 2);
    expect(server.received).toEqual(['{"op":"ping","id":1}', '{"op":"ping","id":2}']);
    conn.close();
    await waitFor(() => server.closedByClient.length === 1);
    expect(() => conn.send({ op: 'ping', id: 3 })).not.toThrow();
  });

  it('open() rejects with the reason the socket gave when nothing listens', async () => {
    const server = await scriptServer();
    const { url } = server;
    await server.close();
    await expect(Conn.open(url, 1_000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
