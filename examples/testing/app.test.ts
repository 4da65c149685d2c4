// docs/testing.md: testing an app against the real mock server (Node, real sockets on 127.0.0.1).
// Run: npx vitest run --root examples/testing
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'dashwire/mock-server';
import { createAlertBoard, type AlertBoard } from './app.js';

/** Polls until `predicate` holds; real sockets need real time, so no fake timers here. */
async function waitFor(predicate: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const alert = (id: string, severity: 'info' | 'warning' | 'critical') => ({
  id,
  severity,
  message: `alert ${id}`,
  ts: Date.now(),
});

describe('alert board', () => {
  let server: MockServer | undefined;
  let board: AlertBoard | undefined;
  afterEach(async () => {
    await board?.close();
    await server?.close();
    board = server = undefined;
  });

  it('shows critical alerts only, in order', async () => {
    server = await createMockServer({ protocol: 'native', feed: false }); // 127.0.0.1, free port
    board = createAlertBoard(server.url);
    await waitFor(() => server!.listClients().some((c) => c.subscriptions.has('alerts')));
    server.publish('alerts', 'alert', alert('a1', 'critical'));
    server.publish('alerts', 'alert', alert('a2', 'info'));
    server.publish('alerts', 'alert', alert('a3', 'critical'));
    await waitFor(() => board!.critical.length === 2);
    expect(board.critical.map((a) => a.id)).toEqual(['a1', 'a3']);
  });

  it('loses nothing when the connection drops', async () => {
    server = await createMockServer({ protocol: 'native', feed: false });
    board = createAlertBoard(server.url, { reconnect: { initialDelayMs: 20, minDelayMs: 5 } });
    await waitFor(() => server!.clients === 1 && server!.listClients()[0]!.subscriptions.has('alerts'));
    server.publish('alerts', 'alert', alert('a1', 'critical'));
    await waitFor(() => board!.critical.length === 1);
    server.faults.dropAll(); // every socket dies without a close frame (1006)
    server.publish('alerts', 'alert', alert('a2', 'critical')); // published while the app is away
    await waitFor(() => board!.critical.length === 2); // replayed after the resubscribe with `since`
    expect(board.critical.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(board.state()).toBe('open');
  });

  it('survives garbage from the server', async () => {
    server = await createMockServer({ protocol: 'native', feed: false });
    board = createAlertBoard(server.url);
    await waitFor(() => server!.listClients().some((c) => c.subscriptions.has('alerts')));
    server.faults.sendRaw('{"op":"event",'); // malformed JSON
    server.publish('alerts', 'alert', { id: 'bad', severity: 'apocalyptic', message: '?', ts: 1 }); // fails the schema
    server.publish('alerts', 'alert', alert('a1', 'critical'));
    await waitFor(() => board!.critical.length === 1);
    expect(board.rejected()).toBe(2);
  });
});
