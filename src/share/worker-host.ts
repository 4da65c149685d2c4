/**
 * The SharedWorker side of `share: 'tabs'`. The worker cannot receive a protocol (protocols
 * hold functions and zod schemas), so it builds one by name from `protocols`; validation
 * runs here and tabs receive validated payloads by structured clone.
 */
import { createClient } from '../client/client.js';
import { polling, type PollingFallbackOptions } from '../client/fallback.js';
import type { ClientOptions } from '../client/options.js';
import type { EventCatalog } from '../events.js';
import type { Protocol } from '../protocol/types.js';
import { createShareHost, type ShareHost } from './host.js';
import { webLocks, type LockManagerLike } from './locks.js';
import type { PortLike } from './messages.js';

/** Builds a protocol from the JSON options a tab sent (`share.protocol.options`). @category Sharing */
export type ProtocolFactory = (options?: never) => Protocol<EventCatalog>;

/** The part of a SharedWorker's global scope the host uses. @category Sharing */
export interface WorkerScopeLike {
  /** Called with each new tab port (`event.ports[0]`). */
  onconnect: ((event: MessageEvent) => void) | null;
}

/** Options of {@link createSharedWorkerHost}. @category Sharing */
export interface SharedWorkerHostOptions {
  /** Protocols this worker can build, by the name tabs send (`share.protocol.name`, default `protocol.name`). */
  readonly protocols: Readonly<Record<string, ProtocolFactory>>;
  /** The worker's global scope (tests pass a fake). @default globalThis */
  readonly scope?: WorkerScopeLike;
  readonly locks?: LockManagerLike;
}

/**
 * Serves `share: 'tabs'` clients from a SharedWorker: one connection per identity, shared by
 * every tab. An app with its own protocol ships a worker file that calls this:
 *
 * ```ts
 * // my-worker.ts
 * import { createSharedWorkerHost } from 'dashwire';
 * import { myBackend } from './my-backend.js';
 * createSharedWorkerHost({ protocols: { myBackend: () => myBackend } });
 * ```
 * @category Sharing
 */
export function createSharedWorkerHost(options: SharedWorkerHostOptions): ShareHost {
  const scope = options.scope ?? (globalThis as unknown as WorkerScopeLike);
  const locks = options.locks ?? webLocks();
  const names = Object.keys(options.protocols);
  const host = createShareHost((init, resume, token) => {
    const factory = options.protocols[init.protocol.name];
    // Tabs check `protocols` in the welcome before attaching, so this is a programming error.
    if (!factory) throw new Error(`dashwire shared worker: no protocol "${init.protocol.name}"`);
    const protocol = (factory as (options?: unknown) => Protocol<EventCatalog>)(init.protocol.options);
    const posted = init.options as { fallback?: PollingFallbackOptions };
    const fallback = posted.fallback ? { fallback: polling(posted.fallback) } : {};
    const clientOptions: ClientOptions<EventCatalog> = {
      ...init.options,
      ...fallback,
      protocol,
      resume,
      lazy: true,
      ...(token ? { auth: { token } } : {}),
    };
    return createClient(clientOptions as ClientOptions<EventCatalog> & { protocol: Protocol<EventCatalog> });
  }, locks);
  // Held for the worker's life, under a name unique to this instance: a tab granted it knows
  // this worker is gone and starts the next one.
  const lock = `dashwire:worker:${typeof crypto !== 'undefined' && crypto.randomUUID ? crypto.randomUUID() : Math.random().toString(36).slice(2)}`;
  const ready = locks
    ? new Promise<void>((resolve) => {
        locks
          .request(lock, {}, () => {
            resolve();
            return new Promise<never>(() => {});
          })
          .catch(() => resolve());
      })
    : Promise.resolve();
  scope.onconnect = (event) => {
    const port = event.ports[0] as unknown as PortLike | undefined;
    if (!port) return;
    void ready.then(() => {
      host.accept(port);
      port.postMessage({ t: 'welcome', lock: locks ? lock : undefined, protocols: names });
    });
  };
  return host;
}
