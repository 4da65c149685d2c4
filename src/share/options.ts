import type { ProtocolRef } from './messages.js';

/**
 * The part of a `SharedWorker` sharing uses (structural, so Node typings and tests can pass a fake).
 * @category Sharing
 */
export interface SharedWorkerLike {
  /** The tab's end of the connection to the worker. */
  readonly port: MessagePort;
  /** `error`: the worker script could not be loaded or threw at start. */
  addEventListener(type: 'error', listener: (event: Event) => void): void;
}

/**
 * Options of `share` beyond `'tabs'` (see docs/sharing.md).
 * @category Sharing
 */
export interface ShareOptions {
  /**
   * Who the connection acts for (user id, account, tenant…). Clients share a connection only
   * when URL, protocol name and identity are equal: a token provider cannot be compared, so
   * an app whose tabs may log in as different users must set this. @default ''
   */
  readonly identity?: string;
  /**
   * Starts the shared worker that holds the connection, e.g.
   * `() => new SharedWorker(new URL('dashwire/shared-worker', import.meta.url), { type: 'module' })`.
   * Without it (or where `SharedWorker` is missing or fails to start), tabs elect a leader.
   */
  readonly worker?: () => SharedWorkerLike;
  /**
   * How the worker builds the protocol: a name it knows (`native`, a preset name, or one of
   * `createSharedWorkerHost({ protocols })`) and JSON options for it. @default { name: protocol.name }
   */
  readonly protocol?: ProtocolRef;
  /** How long to wait for the worker's first message before electing a leader instead, in ms. @default 3000 */
  readonly workerTimeoutMs?: number;
}

/** Sharing defaults. @category Sharing */
export const shareDefaults = {
  workerTimeoutMs: 3_000,
} as const;
