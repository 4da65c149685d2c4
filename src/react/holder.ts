import { createClient } from 'dashwire';
import type { Client, ClientOptions, EventCatalog, Protocol } from 'dashwire';
import { unrefTimer } from '../timers.js';

/**
 * Owns the client of a `<DashwireProvider options>`. React may render a
 * provider that never commits, and StrictMode runs its effects twice, so:
 * the client is created on first read with `lazy: true` (inert: no socket, no
 * timer, no listener until used), connected only by `acquire()` from a
 * committed effect, and closed only when the last acquirer has been gone for
 * `graceMs` — a naive effect cleanup would close the client StrictMode just made.
 * @internal @category React
 */
export class ClientHolder<E extends EventCatalog> {
  private client: Client<E> | undefined;
  private refs = 0;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: ClientOptions<E> | undefined) {}

  /** The owned client, created (inert) on first call; undefined when the provider was given a client. */
  readonly get = (): Client<E> | undefined => {
    if (!this.options) return undefined;
    this.client ??= createClient({ ...this.options, lazy: true } as ClientOptions<E> & { protocol: Protocol<E> });
    return this.client;
  };

  /** Server snapshot: a server render never creates, let alone connects, a client. */
  readonly getServer = (): undefined => undefined;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Marks one committed user; returns its release. Connects unless the options asked for `lazy`. */
  acquire(graceMs: number): () => void {
    this.refs++;
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    const before = this.client;
    const client = this.get();
    if (client && !this.options?.lazy) client.connect();
    // A client closed after an earlier release was replaced: the provider must re-read it.
    if (client !== before) this.emit();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(graceMs);
    };
  }

  private release(graceMs: number): void {
    if (--this.refs > 0) return;
    const close = (): void => {
      this.closeTimer = undefined;
      if (this.refs > 0 || !this.client) return;
      const client = this.client;
      this.client = undefined;
      void client.close();
      this.emit();
    };
    if (graceMs <= 0) return close();
    this.closeTimer = setTimeout(close, graceMs);
    unrefTimer(this.closeTimer);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
