// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/index.js';
import { DashwireProvider, useLatest, useSubscription } from '../../src/react/index.js';
import { price, scriptedServer } from '../helpers/scripted-server.js';
import { advance, settle, useFakeClock } from './setup.js';

/** The development warning for `useLatest` on a type nothing subscribes to (it would show nothing, silently). */
function Ticker({ type = 'price_update' }: { type?: string }) {
  const tick = useLatest(type);
  return <span>{tick ? 'value' : 'none'}</span>;
}
function Subscribed() {
  useSubscription('prices');
  return <Ticker />;
}

async function mount(ui: React.ReactNode) {
  const server = scriptedServer();
  const client = createClient({ url: 'ws://feed.test/ws', transport: server.transport });
  render(
    <StrictMode>
      <DashwireProvider client={client}>{ui}</DashwireProvider>
    </StrictMode>,
  );
  await settle();
  expect(client.state).toBe('open');
  return { server, client };
}

describe('useLatest without a subscription, in development', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    useFakeClock();
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    cleanup();
    warn.mockRestore();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('warns once per type, naming the fix, when nothing subscribes and no value came', async () => {
    const { client } = await mount(
      <>
        <Ticker />
        <Ticker />
        <Ticker type="trade" />
      </>,
    );
    await advance(2_999);
    expect(warn).not.toHaveBeenCalled();
    await advance(1);
    const messages = warn.mock.calls.map((call: unknown[]) => String(call[0]));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain(`useLatest('price_update') reads, it does not subscribe`);
    expect(messages[0]).toContain('add one for the channel');
    expect(messages[1]).toContain(`useLatest('trade')`);
    await advance(10_000);
    expect(warn).toHaveBeenCalledTimes(2);
    await client.close();
  });

  it('stays quiet when a useSubscription is mounted', async () => {
    const { client } = await mount(<Subscribed />);
    await advance(5_000);
    expect(warn).not.toHaveBeenCalled();
    await client.close();
  });

  it('stays quiet when a value arrived (subscribed outside React)', async () => {
    const { server, client } = await mount(<Ticker />);
    client.subscribe('prices');
    await settle();
    server.event('prices', 1, 'price_update', price('SOL', '1.00'));
    await settle();
    await advance(5_000);
    expect(warn).not.toHaveBeenCalled();
    await client.close();
  });

  it('stays quiet in production builds', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const { client } = await mount(<Ticker />);
    await advance(5_000);
    expect(warn).not.toHaveBeenCalled();
    await client.close();
  });
});
