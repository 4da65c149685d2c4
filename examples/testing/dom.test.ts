// @vitest-environment happy-dom
// docs/testing.md: the same app in a DOM environment, against dashwire/testing (mock-socket, no port).
import { afterEach, expect, it } from 'vitest';
import { createTestServer, type TestServer } from 'dashwire/testing';
import { createAlertBoard, type AlertBoard } from './app.js';

let server: TestServer | undefined;
let board: AlertBoard | undefined;
afterEach(async () => {
  await board?.close();
  await server?.close();
  board = server = undefined;
});

it('shows critical alerts from an in-memory server', async () => {
  server = createTestServer({ feed: false }); // answers ws://dashwire.test/ws
  board = createAlertBoard(server.url, { WebSocket: server.WebSocket });
  while (!server.listClients().some((c) => c.subscriptions.has('alerts'))) await new Promise((r) => setTimeout(r, 5));
  server.publish('alerts', 'alert', { id: 'a1', severity: 'critical', message: 'feed lagging', ts: 1 });
  while (board.critical.length === 0) await new Promise((r) => setTimeout(r, 5));
  expect(board.critical[0]?.message).toBe('feed lagging');
});
