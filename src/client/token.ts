import { DashwireError } from '../errors.js';
import { tokenExpired, tokenExpiry } from './liveness.js';
import type { AuthOptions, TokenResult } from './options.js';

/** The app's token provider, shared by every connection of a client. */
export interface TokenSource {
  get(reason: 'connect' | 'refresh', refusedGeneration?: number): Promise<string | undefined>;
  /** Completed token refreshes: a token belongs to the generation current when it resolved. */
  readonly generation: number;
}

/**
 * Asks the app's token provider, single-flight: every socket that reconnects at once shares
 * one call. Counts completed refreshes as generations, so that one expiry costs one refresh
 * however many sockets were refused with the old token.
 */
export function createTokenSource(auth: AuthOptions | undefined): TokenSource {
  const flights = new Map<'connect' | 'refresh', Promise<string>>();
  let generation = 0;
  return {
    get generation() {
      return generation;
    },
    get(reason, refusedGeneration) {
      if (!auth) return Promise.resolve(undefined);
      // A socket refused with a token older than the last refresh (every socket of a client whose
      // token expired while offline is refused, each at its own reconnect time) takes the token
      // that refresh produced: one refresh per expiry, not one per socket.
      const kind =
        reason === 'refresh' && refusedGeneration !== undefined && refusedGeneration < generation ? 'connect' : reason;
      // Single flight per kind; a refresh never joins a plain connect call (that would hand back
      // the refused token).
      let flight = flights.get(kind);
      if (!flight) {
        const ask = (reason: 'connect' | 'refresh'): Promise<string> =>
          Promise.resolve()
            .then(() => auth.token({ reason }))
            .then((result) => {
              const { token, expiresAt } = readToken(result);
              if (reason === 'refresh') generation++;
              // Never connect with a token known to be stale (a laptop that slept past its exp):
              // ask once more for a fresh one, and fail the attempt if that one is stale too.
              if (!tokenExpired(tokenExpiry(token, expiresAt))) return token;
              if (reason === 'refresh')
                throw new DashwireError('token_failed', 'The token provider returned an expired token');
              return ask('refresh');
            });
        flight = ask(kind).finally(() => {
          flights.delete(kind);
        });
        flights.set(kind, flight);
      }
      return flight;
    },
  };
}

/** A provider's answer: a token, or `{ token, expiresAt }`. */
function readToken(result: TokenResult): { token: string; expiresAt?: number | Date } {
  if (typeof result === 'string') return { token: result };
  if (typeof result === 'object' && result !== null && typeof result.token === 'string')
    return { token: result.token, expiresAt: result.expiresAt };
  throw new DashwireError('token_failed', 'The token provider did not return a string or { token, expiresAt }');
}
