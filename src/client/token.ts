import { DashwireError } from '../errors.js';
import type { AuthOptions } from './options.js';

/**
 * Asks the app's token provider, single-flight: every socket that reconnects at once shares
 * one call. Counts completed refreshes as generations, so that one expiry costs one refresh
 * however many sockets were refused with the old token.
 */
export class TokenSource {
  private readonly flights = new Map<'connect' | 'refresh', Promise<string>>();
  /** Completed token refreshes (see {@link LinkHost.tokenGeneration}). */
  generation = 0;

  constructor(private readonly auth: AuthOptions | undefined) {}

  get(reason: 'connect' | 'refresh', refusedGeneration?: number): Promise<string | undefined> {
    const auth = this.auth;
    if (!auth) return Promise.resolve(undefined);
    // A socket refused with a token older than the last refresh (every socket of a client whose
    // token expired while offline is refused, each at its own reconnect time) takes the token
    // that refresh produced: one refresh per expiry, not one per socket.
    const kind = reason === 'refresh' && refusedGeneration !== undefined && refusedGeneration < this.generation ? 'connect' : reason;
    // Single flight per kind; a refresh never joins a plain connect call (that would hand back
    // the refused token).
    let flight = this.flights.get(kind);
    if (!flight) {
      flight = Promise.resolve()
        .then(() => auth.token({ reason: kind }))
        .then((token) => {
          if (typeof token !== 'string') throw new DashwireError('token_failed', 'The token provider did not return a string');
          if (kind === 'refresh') this.generation++;
          return token;
        })
        .finally(() => {
          this.flights.delete(kind);
        });
      this.flights.set(kind, flight);
    }
    return flight;
  }
}
