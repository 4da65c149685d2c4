import type { EngineFaults } from './engine-faults.js';
import type { FeedEngine } from './engine.js';

/** Options of {@link ServerFaults.restart}. @category Mock server */
export interface RestartOptions {
  /** How long the server stays down (connects are refused) before answering again, in ms. @default 0 */
  readonly downMs?: number;
}

/** How {@link ServerFaults.blockUpgrades} breaks WebSocket upgrades. @category Mock server */
export interface BlockUpgradesOptions {
  /** `403`: refuse the upgrade (403 Forbidden). `accept-then-close`: complete the handshake, then drop the socket. */
  readonly mode: '403' | 'accept-then-close';
}

/**
 * Faults of a server that carries the engine's connections (the Node mock server, the
 * mock-socket test server): the engine's, plus those that need the carrier.
 * @category Mock server
 */
export interface ServerFaults extends EngineFaults {
  /**
   * Drops every connection and stops answering for `downMs`, then answers again at the SAME
   * address. Channels, seqs and replay buffers survive, as with a server whose state lives elsewhere.
   */
  restart(options?: RestartOptions): Promise<void>;
  /** Makes every WebSocket upgrade fail (as some proxies do) while HTTP keeps working; `false` lifts it. */
  blockUpgrades(options: BlockUpgradesOptions | false): void;
}

/** The faults object of a carrier: the engine's own, plus the carrier's restart and upgrade block. */
export function serverFaults(
  engine: FeedEngine,
  restart: ServerFaults['restart'],
  blockUpgrades: ServerFaults['blockUpgrades'],
): ServerFaults {
  // The engine's fault functions use no `this`: copying them keeps them working.
  return { ...engine.faults, restart, blockUpgrades };
}
