// @vitest-environment node
// Deliberately not happy-dom: a server render must work where there is no window at all.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  DashwireProvider,
  useConnectionState,
  useEventLog,
  useLatest,
  useSubscription,
} from '../../src/react/index.js';
import { flush, scriptedServer } from '../helpers/scripted-server.js';

function Panel() {
  const state = useConnectionState();
  const { state: sub } = useSubscription('trades');
  const last = useLatest('price_update', 'SOL');
  const log = useEventLog('trade', { limit: 50 });
  return <p>{`${state}|${sub}|${last === undefined ? 'none' : 'some'}|${log.length}`}</p>;
}

describe('server rendering', () => {
  it('renders a provider given options with initial values and opens no connection', async () => {
    expect(typeof window).toBe('undefined');
    const server = scriptedServer();
    const html = renderToString(
      <DashwireProvider options={{ url: 'ws://feed.test/ws', transport: server.transport }}>
        <Panel />
      </DashwireProvider>,
    );
    expect(html).toBe('<p>idle|pending|none|0</p>');
    await flush();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.sockets).toHaveLength(0);
    expect(server.received).toHaveLength(0);
  });
});
