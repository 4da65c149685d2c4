// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Client, type DashboardEvents } from '../../src/index.js';
import { DashwireProvider, useFreshness, useLatest, useSubscription } from '../../src/react/index.js';
import { price, scriptedServer } from '../helpers/scripted-server.js';
import { advance, settle, useFakeClock } from './setup.js';

const url = 'ws://feed.test/ws';

/** The stale-aware cell of docs/react.md: greyed out while stale, with its age. */
function Cell({ client, symbol }: { client: Client<DashboardEvents>; symbol: string }) {
  const { value, stale } = useLatest(client, 'price_update', symbol, { withMeta: true });
  const { ageMs } = useFreshness(client, 'price_update', symbol);
  return (
    <span data-testid={symbol} data-stale={String(stale)}>
      {value ? value.price : '—'} {ageMs === undefined ? '' : `${Math.floor(ageMs / 1000)} s ago`}
    </span>
  );
}

function Feed({ children }: { children: React.ReactNode }) {
  useSubscription('prices');
  return <>{children}</>;
}

describe('React: stale-aware values (#16 part 2)', () => {
  beforeEach(useFakeClock);
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('useLatest({ withMeta }) and useFreshness grey out a quiet value and count its age; fresh again on the next event', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport, staleAfterMs: 5_000 });
    render(
      <DashwireProvider client={client}>
        <Feed>
          <Cell client={client} symbol="SOL" />
        </Feed>
      </DashwireProvider>,
    );
    await settle();
    const cell = () => screen.getByTestId('SOL');
    expect(cell().dataset.stale).toBe('true'); // nothing yet
    expect(server.publish('prices', 1, 'price_update', price('SOL', '100.00'))).toBe(true);
    await settle();
    await advance();
    expect(cell().dataset.stale).toBe('false');
    expect(cell().textContent).toBe('100.00 0 s ago');
    await advance(3_000);
    expect(cell().textContent).toBe('100.00 3 s ago');
    await advance(2_000);
    expect(cell().dataset.stale).toBe('true');
    expect(cell().textContent).toBe('100.00 5 s ago');
    server.publish('prices', 2, 'price_update', price('SOL', '101.00'));
    await settle();
    await advance();
    expect(cell().dataset.stale).toBe('false');
    expect(cell().textContent).toBe('101.00 0 s ago');
    await client.close();
  });
});
