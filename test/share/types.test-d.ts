import { expectTypeOf, test } from 'vitest';
import { createClient, presets, tabs, type ShareMode } from '../../src/index.js';

test('share keeps the client type: typed events, and stats().share', () => {
  const client = createClient({ url: 'ws://x', protocol: presets.ares(), share: tabs() });
  const plain = createClient({ url: 'ws://x', protocol: presets.ares() });
  expectTypeOf(client).toEqualTypeOf(plain);
  client.on('signal', (payload) => expectTypeOf(payload.data.strategy_name).toEqualTypeOf<string>());
  // @ts-expect-error an event the catalogue does not have
  client.on('no_such_event', () => {});
  expectTypeOf(client.stats().share).toEqualTypeOf<ShareMode | undefined>();
  createClient({
    url: 'ws://x',
    share: tabs({ identity: 'u1', protocol: { name: 'native' }, workerTimeoutMs: 1_000 }),
  });
  // @ts-expect-error only 'tabs' or an options object
  createClient({ url: 'ws://x', share: 'windows' });
});
