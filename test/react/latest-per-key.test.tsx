// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Client, type DashboardEvents } from '../../src/index.js';
import { DashwireProvider, useLatest, useSubscription } from '../../src/react/index.js';
import { price, scriptedServer } from '../helpers/scripted-server.js';
import { advance, settle, useFakeClock } from './setup.js';

const symbols = Array.from({ length: 200 }, (_, i) => `S${i}`);

function Cell({ client, symbol }: { client: Client<DashboardEvents>; symbol: string }) {
  const tick = useLatest(client, 'price_update', symbol);
  return <span data-testid={symbol}>{tick?.price ?? '-'}</span>;
}

function Board({ client }: { client: Client<DashboardEvents> }) {
  useSubscription(client, 'prices');
  return (
    <>
      {symbols.map((s) => (
        <Cell key={s} client={client} symbol={s} />
      ))}
    </>
  );
}

describe('useLatest: per-key cost', () => {
  beforeEach(useFakeClock);
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('an event re-reads the store of its own key only, whatever the number of keyed consumers', async () => {
    const server = scriptedServer();
    const client = createClient({ url: 'ws://feed.test/ws', transport: server.transport });
    render(
      <DashwireProvider client={client}>
        <Board client={client} />
      </DashwireProvider>,
    );
    await settle();
    const reads = vi.spyOn(client, 'latest');
    server.event('prices', 1, 'price_update', price('S7', '7.5'));
    server.event('prices', 2, 'price_update', price('S9', '9.5'));
    await settle();
    await advance();
    expect(screen.getByTestId('S7').textContent).toBe('7.5');
    expect(screen.getByTestId('S9').textContent).toBe('9.5');
    expect(screen.getByTestId('S8').textContent).toBe('-');
    // Two keyed stores flushed (and React may re-read them while rendering), not 200.
    expect(reads.mock.calls.length).toBeLessThanOrEqual(2 * 3);
    expect(new Set(reads.mock.calls.map((c) => c[1]))).toEqual(new Set(['S7', 'S9']));
    await client.close();
  });
});
