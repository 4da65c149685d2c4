import { describe, expect, it } from 'vitest';
import { StateMachine } from '../../../src/client/state.js';
import { createClient } from '../../../src/index.js';
import { flush, scriptedServer } from '../../helpers/scripted-server.js';

describe('closed carries the drain promise (no `closing` flag beside the state)', () => {
  it('the machine keeps the promise it was closed with; without one, closed is already drained', async () => {
    const machine = new StateMachine({ emit: () => {} });
    const drained = Promise.resolve();
    machine.move('closed', drained);
    const status = machine.status;
    expect(status.state === 'closed' && status.drained).toBe(drained);
    const plain = new StateMachine({ emit: () => {} });
    plain.move('closed');
    const plainStatus = plain.status;
    await expect(plainStatus.state === 'closed' ? plainStatus.drained : undefined).resolves.toBeUndefined();
  });

  it('close() returns one promise however often it is called; what handlers do while closing changes nothing', async () => {
    const server = scriptedServer();
    const client = createClient({ url: 'ws://feed.test/ws', transport: server.transport });
    client.subscribe('prices');
    await flush();
    const states: string[] = [];
    const late: string[] = [];
    client.on('state', (change) => {
      states.push(change.current);
      if (change.current !== 'closed') return;
      late.push(`subscribe:${client.subscribe('trades').state}`);
      late.push(`send:${String(client.send({ hello: 1 }))}`);
      client.connect();
      client.usePolling();
    });
    const first = client.close();
    expect(client.close()).toBe(first);
    await first;
    expect(client.close()).toBe(first);
    expect(states).toEqual(['closed']);
    expect(late).toEqual(['subscribe:unsubscribed', 'send:false']);
    expect(client.state).toBe('closed');
    await flush();
    expect(server.sockets).toHaveLength(1);
    expect(server.ops('subscribe').map((frame) => frame.channel)).toEqual(['prices']);
  });
});
