/**
 * The contract between a tab's proxy (proxy.ts) and the share transports that serve it: a
 * SharedWorker (shared-client.ts), a leader election (election.ts), or this tab alone. They
 * make the proxy with a `ProxyConfig` and drive it through `ProxyControl`, attaching it to
 * each new host and detaching it when that host goes away.
 */
import type { ClientOptions } from '../client/options.js';
import type { Client } from '../client/types.js';
import type { EventCatalog } from '../events.js';
import type { Protocol } from '../protocol/types.js';
import type { ShareMode } from './host-line.js';
import type { PortLike, ShareInit } from './messages.js';

/** What the share transports (worker, election) drive on a proxy. */
export interface ProxyControl<E extends EventCatalog> {
  readonly client: Client<E>;
  /** Unique id of this client instance (its peer lock is named after it). */
  readonly peer: string;
  /** Serves this client from the host behind `port` (replacing any previous one). */
  attach(port: PortLike, mode: ShareMode): void;
  /** The host went away: wait for the next one. */
  detach(): void;
  readonly closed: boolean;
}

/** What a proxy is made with: the tab's own protocol and options, and what it asks a host for. */
export interface ProxyConfig<E extends EventCatalog> {
  readonly protocol: Protocol<E>;
  readonly init: ShareInit;
  readonly options: ClientOptions<E>;
  /** Unique id of this client instance (see `ProxyControl.peer`). */
  readonly peer: string;
  /** The transport stops (resigns leadership, closes its ports); resolves when its sockets are closed. */
  onClose(): Promise<void>;
}
