import { createClient } from 'dashwire';
import type { Client, ClientOptions, EventCatalog, Protocol } from 'dashwire';
import { unrefTimer } from '../timers.js';

/**
 * Owns the client of a `<DashwireProvider options>`. React may render a
 * provider that never commits, and StrictMode runs its effects twice, so:
 * the client is created on first read with `lazy: true` (inert: no socket, no
 * timer, no listener until used), connected only by `acquire()` from a
 * committed effect, and closed only when released for `graceMs` without being
 * acquired again — a naive effect cleanup would close the client StrictMode just made.
 * @internal @category React
 */
export interface ClientHolder<E extends EventCatalog> {
  /** The owned client, created (inert) on first call, again after a close; undefined when the provider was given a client. */
  readonly get: () => Client<E> | undefined;
  /**
   * Marks the provider as a committed user; returns the release. Connects unless the options
   * asked for `lazy`. One user at a time: the provider's subscription, which React releases
   * before it acquires again.
   */
  readonly acquire: (graceMs: number) => () => void;
}

/** A holder for a client made from `options` (none when undefined). Creating one has no side effect. @internal @category React */
export function createClientHolder<E extends EventCatalog>(options: ClientOptions<E> | undefined): ClientHolder<E> {
  let client: Client<E> | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  const get = (): Client<E> | undefined => {
    if (!options) return undefined;
    return (client ??= createClient({ ...options, lazy: true } as ClientOptions<E> & { protocol: Protocol<E> }));
  };
  const close = (): void => {
    const closing = client;
    client = undefined;
    void closing?.close();
  };
  return {
    get,
    acquire(graceMs) {
      clearTimeout(closeTimer);
      const current = get();
      if (!options?.lazy) current?.connect();
      return () => {
        if (graceMs <= 0) return close();
        closeTimer = setTimeout(close, graceMs);
        unrefTimer(closeTimer);
      };
    },
  };
}
