// The React hooks again in real Chromium: real requestAnimationFrame, real React
// scheduling. No network: a tiny in-test native server on the memory transport.
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, useRef, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createClient,
  memoryTransport,
  type Client,
  type DashboardEvents,
  type ServerSocket,
} from '../../../src/index.js';
import {
  DashwireProvider,
  useClient,
  useConnectionState,
  useEvent,
  useEventLog,
  useLatest,
  useSubscription,
} from '../../../src/react/index.js';

const url = 'ws://feed.test/ws';
type Frame = { op: string; id?: number; channel?: string };

/** Acks subscribes (except on `refuse`d channels, which get an error frame) and records what clients send. */
function tinyServer(refuse: string[] = []) {
  const sockets: ServerSocket[] = [];
  const received: Frame[] = [];
  let seq = 0;
  return {
    sockets,
    received,
    ops: (op: string) => received.filter((f) => f.op === op),
    event(channel: string, type: string, data: unknown) {
      sockets.at(-1)?.send(JSON.stringify({ op: 'event', channel, seq: ++seq, type, data }));
    },
    transport: memoryTransport((socket) => {
      sockets.push(socket);
      socket.onMessage = (text) => {
        const frame = JSON.parse(text) as Frame;
        received.push(frame);
        if (frame.op !== 'subscribe') return;
        const reply = refuse.includes(frame.channel ?? '')
          ? { op: 'error', id: frame.id, code: 'forbidden', message: 'not allowed' }
          : { op: 'ack', id: frame.id, channel: frame.channel, recovered: true };
        socket.send(JSON.stringify(reply));
      };
    }),
  };
}

const price = (symbol: string, p: string) => ({ symbol, price: p, change_24h: '0.1', ts: 1 });
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const microtasks = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function Price({
  client,
  symbol,
  renders,
}: {
  client: Client<DashboardEvents>;
  symbol: string;
  renders: { count: number };
}) {
  renders.count++;
  const { state } = useSubscription(client, 'prices');
  const tick = useLatest(client, 'price_update', symbol);
  return <span data-testid={symbol}>{`${state}:${tick?.price ?? '-'}`}</span>;
}

describe('dashwire/react in Chromium', () => {
  const clients: Client<DashboardEvents>[] = [];
  const make = (server: ReturnType<typeof tinyServer>) => {
    const client = createClient({ url, transport: server.transport });
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    cleanup();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it('a burst of 1,000 events over 200 assets re-renders a useLatest consumer once, on an animation frame', async () => {
    const server = tinyServer();
    const client = make(server);
    const renders = { count: 0 };
    render(<Price client={client} symbol="A7" renders={renders} />);
    await waitFor(() => expect(screen.getByTestId('A7').textContent).toBe('subscribed:-'));
    const before = renders.count;
    // Not inside act(): act's own async waiting can span a frame. Each send is one
    // microtask, so the whole burst lands within this task, before any frame.
    for (let i = 0; i < 1_000; i++) server.event('prices', 'price_update', price(`A${i % 200}`, `${i}.0`));
    await microtasks();
    expect(client.latest('price_update', 'A7')?.price).toBe('807.0');
    expect(renders.count).toBe(before);
    await act(async () => {
      await nextFrame();
      await nextFrame();
    });
    expect(screen.getByTestId('A7').textContent).toBe('subscribed:807.0');
    expect(renders.count).toBe(before + 1);
  });

  it('StrictMode: one socket and one subscribe frame; unmounting closes the provider-made client after the grace period', async () => {
    const server = tinyServer();
    let owned: Client | undefined;
    function Panel() {
      owned = useClient();
      const { state } = useSubscription('prices');
      const tick = useLatest('price_update', 'SOL') as { price: string } | undefined;
      return <span data-testid="panel">{`${useConnectionState()}/${state}/${tick?.price ?? '-'}`}</span>;
    }
    const { unmount } = render(
      <StrictMode>
        <DashwireProvider options={{ url, transport: server.transport }} graceMs={30}>
          <Panel />
        </DashwireProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByTestId('panel').textContent).toBe('open/subscribed/-'));
    await act(async () => {
      server.event('prices', 'price_update', price('SOL', '42.0'));
      await microtasks();
      await nextFrame();
    });
    await waitFor(() => expect(screen.getByTestId('panel').textContent).toBe('open/subscribed/42.0'));
    await new Promise((r) => setTimeout(r, 60));
    expect(server.sockets).toHaveLength(1);
    expect(server.ops('subscribe')).toHaveLength(1);
    expect(server.ops('unsubscribe')).toHaveLength(0);
    unmount();
    await waitFor(() => expect(owned?.state).toBe('closed'));
  });

  it('unmounting the last user sends unsubscribe after the grace period', async () => {
    const server = tinyServer();
    const client = make(server);
    let hide = () => {};
    function Toggle() {
      const [shown, setShown] = useState(true);
      hide = () => setShown(false);
      return shown ? <Sub /> : null;
    }
    function Sub() {
      return <span>{useSubscription('prices').state}</span>;
    }
    render(
      <DashwireProvider client={client} graceMs={30}>
        <Toggle />
      </DashwireProvider>,
    );
    await waitFor(() => expect(server.ops('subscribe')).toHaveLength(1));
    act(() => hide());
    expect(server.ops('unsubscribe')).toHaveLength(0);
    await waitFor(() => expect(server.ops('unsubscribe')).toHaveLength(1));
    expect(client.state).toBe('open');
  });

  it('useSubscription shows pending → subscribed, and a refusal as error', async () => {
    const server = tinyServer(['vault']);
    const client = make(server);
    function Sub({ channel }: { channel: string }) {
      const { state, error } = useSubscription(client, channel);
      return <span data-testid={channel}>{error ? `${state}: ${error.message}` : state}</span>;
    }
    render(
      <>
        <Sub channel="prices" />
        <Sub channel="vault" />
      </>,
    );
    expect(screen.getByTestId('prices').textContent).toBe('pending');
    await waitFor(() => expect(screen.getByTestId('prices').textContent).toBe('subscribed'));
    await waitFor(() => expect(screen.getByTestId('vault').textContent).toBe('error: not allowed'));
  });

  it('useEventLog keeps the last N in order, and useEvent uses the newest handler without re-registering', async () => {
    const server = tinyServer();
    const client = make(server);
    const on = client.on.bind(client);
    let registrations = 0;
    client.on = (...args: Parameters<typeof on>) => {
      if (args[0] === 'trade') registrations++;
      return on(...args);
    };
    const got: string[] = [];
    function Trades({ label }: { label: string }) {
      const renders = useRef(0);
      renders.current++;
      useSubscription(client, 'trades');
      useEvent(client, 'trade', (t) => got.push(`${label}:${t.id}`));
      const log = useEventLog(client, 'trade', { limit: 3 });
      return <span data-testid="log">{log.map((t) => t.id).join(',')}</span>;
    }
    const { rerender } = render(<Trades label="a" />);
    await waitFor(() => expect(server.ops('subscribe')).toHaveLength(1));
    const trade = (id: string) => ({ id, symbol: 'SOL', side: 'buy', price: '1.5', quantity: '2', ts: 1 });
    await act(async () => {
      for (let i = 1; i <= 5; i++) server.event('trades', 'trade', trade(`t${i}`));
      await microtasks();
    });
    rerender(<Trades label="b" />);
    await act(async () => {
      server.event('trades', 'trade', trade('t6'));
      await microtasks();
    });
    await waitFor(() => expect(screen.getByTestId('log').textContent).toBe('t4,t5,t6'));
    expect(got).toEqual(['a:t1', 'a:t2', 'a:t3', 'a:t4', 'a:t5', 'b:t6']);
    // One for useEvent, one for useEventLog; none added by re-renders.
    expect(registrations).toBe(2);
  });
});
