import { afterEach } from 'vitest';

/** Anything a test starts and must stop: clients, servers. */
interface Closable {
  close(): unknown;
}

/**
 * Returns `track(x)`: everything tracked in a test is closed after it, newest first (clients
 * before the server they talk to), whether the test passed or not.
 */
export function useCleanup(): <T extends Closable>(closable: T) => T {
  const open: Closable[] = [];
  afterEach(async () => {
    for (const closable of open.splice(0).reverse()) await closable.close();
  });
  return (closable) => {
    open.push(closable);
    return closable;
  };
}
