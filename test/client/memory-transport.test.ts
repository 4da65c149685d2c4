import { describe, expect, it } from 'vitest';
import { memoryTransport } from '../../src/index.js';
import type { ServerSocket } from '../../src/transport/server-socket.js';
import { flush } from '../helpers/scripted-server.js';

describe('memoryTransport', () => {
  it('delivers frames sent before a close, in order, then the close — like a real socket', async () => {
    const log: string[] = [];
    let server!: ServerSocket;
    const transport = memoryTransport((socket) => {
      server = socket;
      socket.onMessage = (frame) => log.push(`server got ${frame}`);
      socket.onClose = (code) => log.push(`server closed ${code}`);
    });
    const connection = transport.connect({
      url: 'memory://x/ws',
      handlers: {
        onOpen: () => log.push('open'),
        onMessage: (frame) => log.push(`client got ${frame}`),
        onError: () => {},
        onClose: (info) => log.push(`client closed ${info.code}`),
      },
    });
    await flush();
    connection.send('a');
    connection.send('unsubscribe');
    connection.close(1000);
    await flush();
    expect(log).toEqual(['open', 'server got a', 'server got unsubscribe', 'client closed 1000', 'server closed 1000']);

    // The server side too: frames it sent before closing reach the client.
    log.length = 0;
    const second = transport.connect({
      url: 'memory://x/ws',
      handlers: {
        onOpen: () => {},
        onMessage: (f) => log.push(`client got ${f}`),
        onError: () => {},
        onClose: (i) => log.push(`client closed ${i.code}`),
      },
    });
    await flush();
    server.send('bye');
    server.close(4001, 'unauthorized');
    await flush();
    expect(log).toEqual(['client got bye', 'client closed 4001', 'server closed 4001']);
    second.close();
  });
});
