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
export interface ClientHolder<E extends EventCatalog> {
  /** The owned client, created (inert) on first call; undefined when the provider was given a client. */
  readonly get: () => Client<E> | undefined;
  readonly subscribe: (listener: () => void) => () => void;
  /** Marks one committed user; returns its release. Connects unless the options asked for `lazy`. */
  readonly acquire: (graceMs: number) => () => void;
}

/** A holder for a client made from `options` (none when undefined). Creating one has no side effect. @internal @category React */
export function createClientHolder<E extends EventCatalog>(options: ClientOptions<E> | undefined): ClientHolder<E> {
  let client: Client<E> | undefined;
  let refs = 0;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  const emit = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const get = (): Client<E> | undefined => {
    if (!options) return undefined;
    return (client ??= createClient({ ...options, lazy: true } as ClientOptions<E> & { protocol: Protocol<E> }));
  };
  // Runs only with no user left: acquire() cancels the timer that calls it.
  const close = (): void => {
    if (!client) return;
    const closing = client;
    client = undefined;
    void closing.close();
    emit();
  };
  return {
    get,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    acquire(graceMs) {
      refs++;
      clearTimeout(closeTimer);
      const before = client;
      const current = get();
      if (current && !options?.lazy) current.connect();
      // A client closed after an earlier release was replaced: the provider must re-read it.
      if (current !== before) emit();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--refs > 0) return;
        if (graceMs <= 0) return close();
        closeTimer = setTimeout(close, graceMs);
        unrefTimer(closeTimer);
      };
    },
  };
}
