/**
 * A bare `ws` server on 127.0.0.1 port 0 for the conformance units: each test says what happens
 * on a connection (`onConnection`) and reads what clients sent (`received`). Extend it by adding
 * to what `onConnection` does in the test, not here.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { rawText } from '../../helpers/raw-text.js';

export interface ScriptServer {
  readonly url: string;
  /** Every frame clients sent, as text, in arrival order. */
  readonly received: string[];
  /** Sockets whose client has gone. */
  readonly closedByClient: WebSocket[];
  close(): Promise<void>;
}

export async function scriptServer(onConnection: (ws: WebSocket) => void = () => {}): Promise<ScriptServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: string[] = [];
  const closedByClient: WebSocket[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data) => received.push(rawText(data)));
    ws.on('close', () => closedByClient.push(ws));
    onConnection(ws);
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    received,
    closedByClient,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
