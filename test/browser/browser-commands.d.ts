// Types of the Node-side commands in commands.ts, as the browser tests see them.
import 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    publishMany(channel: string, type: string, items: unknown[]): Promise<void>;
    dropAll(): Promise<void>;
    blockUpgrades(mode: '403' | 'accept-then-close' | false): Promise<void>;
    clientCount(): Promise<number>;
  }
}
