// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/index.js';
import { DashwireProvider, useEvent, useSubscription } from '../../src/react/index.js';
import { scriptedServer } from '../helpers/scripted-server.js';
import { advance, settle, useFakeClock } from './setup.js';

const value = (account: string) => ({ account, total_usd: '10.5', change_24h: '0', positions: 2, ts: 1 });

function Account({ account, seen }: { account: string; seen: string[] }) {
  useSubscription('portfolio', { account });
  useEvent('portfolio_value', (p) => seen.push((p as { account: string }).account));
  return null;
}

describe('useSubscription: changing params', () => {
  beforeEach(useFakeClock);
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  // The grace period sends the new subscribe before the old unsubscribe: the unsubscribe must
  // end only the old variant, on a 1.1 server (params on the wire) and a 1.0 one (resubscribe).
  for (const version of ['1.1', '1.0'] as const) {
    it(`never leaves a gap in delivery (${version} server)`, async () => {
      const server = scriptedServer({ version });
      const client = createClient({ url: 'ws://feed.test/ws', transport: server.transport });
      const seen: string[] = [];
      const ui = (account: string) => (
        <DashwireProvider client={client}>
          <Account account={account} seen={seen} />
        </DashwireProvider>
      );
      const view = render(ui('acc-A'));
      await settle();
      let seq = 0;
      const publishAll = () => {
        // Every step of the switch: each event published must reach the app.
        expect(server.publish('portfolio', ++seq, 'portfolio_value', value('acc-B'))).toBe(true);
      };
      expect(server.publish('portfolio', ++seq, 'portfolio_value', value('acc-A'))).toBe(true);
      await settle();
      view.rerender(ui('acc-B'));
      await settle();
      publishAll();
      await settle();
      // Past the grace period: the old variant's unsubscribe goes out.
      await advance(1_000);
      expect(server.ops('unsubscribe')).toMatchObject([{ channel: 'portfolio', params: { account: 'acc-A' } }]);
      publishAll();
      await settle();
      publishAll();
      await settle();
      expect(seen).toEqual(['acc-A', 'acc-B', 'acc-B', 'acc-B']);
      view.unmount();
      await client.close();
    });
  }
});
