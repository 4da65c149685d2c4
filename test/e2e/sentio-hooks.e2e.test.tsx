// @vitest-environment happy-dom
/**
 * The README's claim for examples/react-dashboard/src/sentio-hooks.ts: seed 004's three hooks,
 * rebuilt on dashwire's, show live data from a Sentio server (the mock server's sentio dialect).
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { presets } from 'dashwire';
import { DashwireProvider } from 'dashwire/react';
import { createMockServer, type MockServer } from 'dashwire/mock-server';
import {
  useEarningsWebSocket,
  useNotificationsWebSocket,
  useTradeSignalsWebSocket,
} from '../../examples/react-dashboard/src/sentio-hooks.js';

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer({ protocol: 'sentio', port: 0, feed: { rate: 40 } });
});
afterAll(async () => {
  cleanup();
  await server.close();
});

function Seed004Page(): ReactElement {
  const trade = useTradeSignalsWebSocket(['AAPL', 'MSFT'], 'user_001');
  const { earnings } = useEarningsWebSocket('user_001');
  const { notifications } = useNotificationsWebSocket('user_001');
  return (
    <>
      <p data-testid="live">{trade.isConnected ? 'live' : 'offline'}</p>
      <p data-testid="signals">{trade.signals.map((s) => `${s.symbol}:${s.signal}`).join(' ')}</p>
      <p data-testid="earnings">{earnings ? `value ${earnings.portfolio_value}` : 'none'}</p>
      <p data-testid="notifications">{notifications.length}</p>
    </>
  );
}

it('shows live trade signals, earnings and notifications through the rebuilt seed 004 hooks', async () => {
  render(
    <DashwireProvider options={{ url: server.httpUrl.replace('http', 'ws'), protocol: presets.sentio() }}>
      <Seed004Page />
    </DashwireProvider>,
  );
  const patience = { timeout: 20_000, interval: 100 };
  await waitFor(() => expect(screen.getByTestId('live').textContent).toBe('live'), patience);
  await waitFor(() => expect(screen.getByTestId('signals').textContent).toMatch(/(AAPL|MSFT):\w+/), patience);
  await waitFor(() => expect(screen.getByTestId('earnings').textContent).toMatch(/^value \d/), patience);
  await waitFor(() => expect(Number(screen.getByTestId('notifications').textContent)).toBeGreaterThan(0), patience);
});
