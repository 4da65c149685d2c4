// @vitest-environment happy-dom
/**
 * The React hooks run unchanged on a shared client: two "tabs" (see fakes.ts), one
 * connection, each tab's component renders the live value and the connection state.
 */
import { cleanup, render, screen, waitFor as waitForDom } from '@testing-library/react';
import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { DashwireProvider, useConnectionState, useLatest, useSubscription } from '../../src/react/index.js';
import { createSharedClient } from '../../src/share/shared-client.js';
import type { Client, DashboardEvents, WebSocketConstructor } from '../../src/index.js';
import { tabs as shareTabs } from '../../src/index.js';
import { FakeLocks, FakeTab } from './fakes.js';

let server: MockServer | undefined;
const clients: Client<DashboardEvents>[] = [];
const tabs: FakeTab[] = [];
afterEach(async () => {
  cleanup();
  for (const client of clients.splice(0)) await client.close();
  for (const tab of tabs.splice(0)) tab.kill();
  await server?.close();
});

function Price({ client, name }: { client: Client<DashboardEvents>; name: string }) {
  useSubscription('prices');
  const tick = useLatest(client, 'price_update', 'BTC');
  const state = useConnectionState(client);
  return <span data-testid={name}>{`${state}:${tick?.price ?? 'none'}`}</span>;
}

it('useSubscription, useLatest and useConnectionState work on the proxy in every tab', async () => {
  server = await createMockServer({ protocol: 'native', feed: false, host: '127.0.0.1', port: 0 });
  const locks = new FakeLocks();
  const make = () => {
    const tab = new FakeTab(locks);
    tabs.push(tab);
    const client = createSharedClient<DashboardEvents>(
      { url: server!.url, share: shareTabs(), WebSocket: WebSocket as unknown as WebSocketConstructor },
      tab.environment,
    );
    clients.push(client);
    return client;
  };
  const [a, b] = [make(), make()];
  render(
    <>
      <DashwireProvider client={a}>
        <Price client={a} name="a" />
      </DashwireProvider>
      <DashwireProvider client={b}>
        <Price client={b} name="b" />
      </DashwireProvider>
    </>,
  );
  await waitForDom(() => expect(server!.listClients()[0]?.subscriptions.size ?? 0).toBeGreaterThan(0), {
    timeout: 3_000,
  });
  server.publish('prices', 'price_update', { symbol: 'BTC', price: '61000.00', change_24h: '0.1', ts: 1 });
  await waitForDom(() => expect(screen.getByTestId('a').textContent).toBe('open:61000.00'), { timeout: 3_000 });
  await waitForDom(() => expect(screen.getByTestId('b').textContent).toBe('open:61000.00'), { timeout: 3_000 });
  expect(server.clients).toBe(1);
});
