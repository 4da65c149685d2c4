import { bindControls, type FeedControls } from '../server/controls.js';
import type { EngineFaults } from '../server/engine-faults.js';
import type { FeedEngineOptions } from '../server/engine-options.js';
import { createFeedEngine } from '../server/engine.js';
import { memoryTransport } from '../transport/memory.js';
import type { Transport } from '../transport/types.js';

/** The feed engine behind `memoryTransport`: no sockets, no mock-socket, no timers of its own. @category Mock server */
export interface MemoryServer extends FeedControls {
  /** URL to give the client (`memory://dashwire/ws`); only its path matters. */
  readonly url: string;
  /** Pass as `createClient({ url, transport })`; connects refuse while `faults.refuse` is in force. */
  readonly transport: Transport;
  readonly faults: EngineFaults;
  /** Drops every client and stops the feed. */
  close(): Promise<void>;
}

/**
 * Runs the feed engine over the in-memory transport: the lightest way to test a client
 * against a real protocol implementation.
 * @category Mock server
 */
export function createMemoryServer(options: FeedEngineOptions = {}): MemoryServer {
  const engine = createFeedEngine(options);
  return bindControls(engine, {
    url: `memory://dashwire${engine.dialect.paths[0] ?? '/'}`,
    transport: memoryTransport(engine.accept, { refuse: () => engine.isRefusing() }),
    faults: engine.faults,
    close(): Promise<void> {
      engine.close();
      return Promise.resolve();
    },
  });
}
