/**
 * How a shared connection borrows a tab's token provider (`auth.token` is a function and cannot
 * cross a port): the host posts `token` with an id to a tab that has a provider, and the tab
 * answers that id with the token or a posted error. A tab that closes before answering passes
 * the request on to the next tab. Both sides of the exchange live here, so they change together.
 */
import type { AuthOptions, TokenRequest } from '../client/options.js';
import { DashwireError } from '../errors.js';
import { postError, readError, safePost, type PortLike, type TabMessage } from './messages.js';

/** A tab as the host asks it: over its port, if it has a token provider. */
export interface TokenSource {
  readonly port: PortLike;
  readonly auth: boolean;
}

/** The host's side, for one connection: its token requests waiting for a tab's answer. */
export interface TokenRequests<T extends TokenSource> {
  /** Asks the first tab of `tabs` that has a provider; if it closes before answering, the next. */
  ask(tabs: ReadonlySet<T>, request: TokenRequest): Promise<string>;
  /** A tab's answer arrived; an id nobody waits for any more is ignored. */
  answer(message: Extract<TabMessage, { t: 'token' }>): void;
  /** `tab` left: whatever it was asked goes to another tab. */
  forget(tab: T): void;
}

export function createTokenRequests<T extends TokenSource>(): TokenRequests<T> {
  let nextId = 1;
  const waiting = new Map<
    number,
    { tab: T; resolve: (token: string) => void; reject: (error: DashwireError) => void }
  >();

  function ask(tabs: ReadonlySet<T>, request: TokenRequest, skip: Set<T> = new Set()): Promise<string> {
    const tab = [...tabs].find((t) => t.auth && !skip.has(t));
    if (!tab) return Promise.reject(new DashwireError('token_failed', 'No open tab can provide a token'));
    const id = nextId++;
    return new Promise<string>((resolve, reject) => {
      waiting.set(id, { tab, resolve, reject });
      safePost(tab.port, { t: 'token', id, reason: request.reason });
    }).catch((error: unknown) => {
      // The tab closed before answering: ask the next one.
      if (error instanceof DashwireError && error.details.retry === true) return ask(tabs, request, skip.add(tab));
      throw error;
    });
  }

  return {
    ask,
    answer(message) {
      const waiter = waiting.get(message.id);
      if (!waiter) return;
      waiting.delete(message.id);
      if (message.token !== undefined) waiter.resolve(message.token);
      else waiter.reject(readError(message.error) ?? new DashwireError('token_failed', 'The token provider failed'));
    },
    forget(tab) {
      for (const [id, waiter] of waiting) {
        if (waiter.tab !== tab) continue;
        waiting.delete(id);
        waiter.reject(
          new DashwireError('token_failed', 'The tab asked for a token closed', { details: { retry: true } }),
        );
      }
    },
  };
}

/**
 * The tab's side: the answer to the host's request `id`, from this tab's token provider (a
 * provider that throws, or none, answers with the error instead).
 */
export async function answerToken(
  auth: AuthOptions | undefined,
  id: number,
  reason: TokenRequest['reason'],
): Promise<TabMessage> {
  try {
    if (!auth) throw new DashwireError('token_failed', 'This tab has no token provider');
    const result = await auth.token({ reason });
    // `{ token, expiresAt }` (#16): the host checks expiry on its side; the wire carries the string.
    const token = typeof result === 'string' ? result : result.token;
    return { t: 'token', id, token };
  } catch (error) {
    return { t: 'token', id, error: postError(DashwireError.from(error, 'token_failed')) };
  }
}
