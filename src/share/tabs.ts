import type { ClientOptions, ShareStrategy } from '../client/options.js';
import type { Client } from '../client/types.js';
import type { EventCatalog } from '../events.js';
import type { ShareOptions } from './options.js';
import { createSharedClient } from './shared-client.js';

/**
 * One connection for all same-origin tabs: `createClient({ url, share: tabs() })`. Tabs with
 * the same URL, protocol name and `identity` share it; give `worker` to hold it in a
 * SharedWorker, else a leader tab holds it (see docs/sharing.md). A value rather than a flag,
 * like `fallback: polling()`, so an app that does not share does not bundle the sharing code.
 * @category Sharing
 */
export function tabs(options: ShareOptions = {}): ShareStrategy {
  return {
    kind: 'tabs',
    options,
    start: <E extends EventCatalog>(clientOptions: ClientOptions<E>): Client<E> => createSharedClient(clientOptions),
  };
}
