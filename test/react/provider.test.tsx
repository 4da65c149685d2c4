// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { Activity, StrictMode, useState } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from '../../src/index.js';
import {
  DashwireProvider,
  reactDefaults,
  useClient,
  useConnectionState,
  useLatest,
  useSubscription,
} from '../../src/react/index.js';
import { price, scriptedServer } from '../helpers/scripted-server.js';
import { advance, settle, useFakeClock } from './setup.js';

const url = 'ws://feed.test/ws';
const grace = reactDefaults.graceMs;

function Prices({ onClient }: { onClient?: (client: Client | undefined) => void }) {
  onClient?.(useClient());
  const { state } = useSubscription('prices', { symbols: ['SOL'] });
  const tick = useLatest('price_update', 'SOL') as { price: string } | undefined;
  const connection = useConnectionState();
  return <span data-testid="prices">{`${connection}/${state}/${tick?.price ?? '-'}`}</span>;
}

describe('DashwireProvider', () => {
  beforeEach(useFakeClock);
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('under StrictMode, a provider given options opens one socket and sends one subscribe frame', async () => {
    const server = scriptedServer();
    let client: Client | undefined;
    const { unmount } = render(
      <StrictMode>
        <DashwireProvider options={{ url, transport: server.transport }}>
          <Prices onClient={(c) => (client = c)} />
        </DashwireProvider>
      </StrictMode>,
    );
    await settle();
    server.event('prices', 1, 'price_update', price('SOL', '42.0'));
    await settle();
    await advance();
    expect(screen.getByTestId('prices').textContent).toBe('open/subscribed/42.0');
    expect(server.sockets).toHaveLength(1);
    expect(server.ops('subscribe')).toHaveLength(1);
    expect(server.ops('subscribe')[0]).toMatchObject({ channel: 'prices', params: { symbols: ['SOL'] } });
    await advance(grace * 2);
    expect(server.ops('unsubscribe')).toHaveLength(0);

    // Unmounting for good closes the client the provider made, after the grace period.
    unmount();
    await advance(grace - 1);
    expect(client?.state).toBe('open');
    await advance(1);
    expect(client?.state).toBe('closed');
    expect(server.sockets).toHaveLength(1);
  });

  it('under StrictMode on an open connection, a mounting subscriber sends subscribe once and no unsubscribe', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    client.connect();
    await settle();
    render(
      <StrictMode>
        <DashwireProvider client={client}>
          <Prices />
        </DashwireProvider>
      </StrictMode>,
    );
    await settle();
    await advance(grace * 2);
    expect(screen.getByTestId('prices').textContent).toBe('open/subscribed/-');
    expect(server.ops('subscribe')).toHaveLength(1);
    expect(server.ops('unsubscribe')).toHaveLength(0);
    await client.close();
  });

  it('unmounting the last user sends unsubscribe after the grace period; the provider never closes a client it was given', async () => {
    const server = scriptedServer();
    const client = createClient({ url, transport: server.transport });
    let toggle: (on: boolean) => void = () => {};
    function Toggle() {
      const [a, setA] = useState(true);
      const [b, setB] = useState(true);
      toggle = (on) => (on ? setA(false) : setB(false));
      return (
        <>
          {a && <Prices />}
          {b && <Prices />}
        </>
      );
    }
    const { unmount } = render(
      <DashwireProvider client={client}>
        <Toggle />
      </DashwireProvider>,
    );
    await settle();
    expect(server.ops('subscribe')).toHaveLength(1);
    act(() => toggle(true)); // one of two users leaves
    await advance(grace * 2);
    expect(server.ops('unsubscribe')).toHaveLength(0);
    act(() => toggle(false)); // the last user leaves
    await advance(grace - 1);
    expect(server.ops('unsubscribe')).toHaveLength(0);
    await advance(1);
    expect(server.ops('unsubscribe')).toEqual([expect.objectContaining({ channel: 'prices' })]);
    unmount();
    await advance(grace * 2);
    expect(client.state).toBe('open');
    await client.close();
  });

  it('a provider given options connects only once committed, unless the options say lazy', async () => {
    const server = scriptedServer();
    render(
      <DashwireProvider options={{ url, transport: server.transport, lazy: true }}>
        <span />
      </DashwireProvider>,
    );
    await settle();
    expect(server.sockets).toHaveLength(0);
    cleanup();
    render(
      <DashwireProvider options={{ url, transport: server.transport }}>
        <span />
      </DashwireProvider>,
    );
    await settle();
    expect(server.sockets).toHaveLength(1);
  });

  it('hydrates server HTML with the initial values, then connects', async () => {
    const server = scriptedServer();
    const tree = (
      <DashwireProvider options={{ url, transport: server.transport }}>
        <Prices />
      </DashwireProvider>
    );
    const html = renderToString(tree);
    expect(html).toContain('idle/pending/-');
    await settle();
    expect(server.sockets).toHaveLength(0);
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.appendChild(container);
    const errors: unknown[] = [];
    let root: ReturnType<typeof hydrateRoot> | undefined;
    await act(async () => {
      root = hydrateRoot(container, tree, { onRecoverableError: (e) => errors.push(e) });
    });
    await settle();
    expect(errors).toEqual([]);
    expect(container.textContent).toBe('open/subscribed/-');
    expect(server.sockets).toHaveLength(1);
    act(() => root?.unmount());
    container.remove();
  });

  it('hooks outside a provider without a client throw a clear error', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Prices />)).toThrow(/DashwireProvider/);
  });

  it('Activity hidden past the grace closes the owned client; shown again, a new one connects', async () => {
    const server = scriptedServer();
    const clients = new Set<Client | undefined>();
    const ui = (mode: 'visible' | 'hidden') => (
      <StrictMode>
        <Activity mode={mode}>
          <DashwireProvider options={{ url, transport: server.transport }}>
            <Prices onClient={(c) => clients.add(c)} />
          </DashwireProvider>
        </Activity>
      </StrictMode>
    );
    const { rerender } = render(ui('visible'));
    await settle();
    expect(server.sockets).toHaveLength(1);
    rerender(ui('hidden'));
    await advance(grace * 2);
    const first = [...clients][0]!;
    expect(first.state).toBe('closed');
    rerender(ui('visible'));
    await settle();
    await advance();
    expect(server.sockets).toHaveLength(2);
    server.event('prices', 1, 'price_update', price('SOL', '7.0'));
    await settle();
    await advance();
    expect(screen.getByTestId('prices').textContent).toBe('open/subscribed/7.0');
  });

  it('options → given client → back: the owned client closes after grace, a new one connects when owned again', async () => {
    const server = scriptedServer();
    const other = scriptedServer();
    const given = createClient({ url, transport: other.transport });
    const seen: (Client | undefined)[] = [];
    const prices = <Prices onClient={(x) => seen.push(x)} />;
    const ui = (c?: Client) =>
      c ? (
        <DashwireProvider client={c}>{prices}</DashwireProvider>
      ) : (
        <DashwireProvider options={{ url, transport: server.transport }}>{prices}</DashwireProvider>
      );
    const { rerender } = render(ui());
    await settle();
    const owned = seen.at(-1)!;
    expect(owned.state).toBe('open');
    rerender(ui(given));
    await settle();
    expect(seen.at(-1)).toBe(given);
    await advance(grace * 2);
    expect(owned.state).toBe('closed');
    rerender(ui());
    await settle();
    await advance();
    const again = seen.at(-1)!;
    expect(again).not.toBe(owned);
    expect(again.state).toBe('open');
    expect(server.sockets).toHaveLength(2);
    await given.close();
  });
});
