import type { BrowserCommand } from 'vitest/node';
import { shared } from './global-setup.js';

function server() {
  if (!shared.server) throw new Error('browser global setup did not start the mock server');
  return shared.server;
}

/** Node-side commands the browser tests call to drive the real server. */
export const serverCommands = {
  publishMany: ((_ctx, channel: string, type: string, items: unknown[]) => {
    for (const data of items) server().publish(channel, type, data);
  }) satisfies BrowserCommand<[string, string, unknown[]]>,
  dropAll: (() => server().faults.dropAll()) satisfies BrowserCommand<[]>,
  blockUpgrades: ((_ctx, mode: '403' | 'accept-then-close' | false) =>
    server().faults.blockUpgrades(mode ? { mode } : false)) satisfies BrowserCommand<
    ['403' | 'accept-then-close' | false]
  >,
  clientCount: (() => server().clients) satisfies BrowserCommand<[]>,
};
