/** The token exchange of a shared connection: the host asks a tab, the tab answers. */
import { describe, expect, it } from 'vitest';
import { DashwireError } from '../../src/errors.js';
import { answerToken, createTokenRequests, type TokenSource } from '../../src/share/tokens.js';
import { waitFor } from '../helpers/wait.js';
import { RecordingPort } from './fakes.js';

interface Tab extends TokenSource {
  readonly port: RecordingPort;
}
const tab = (auth = true): Tab => ({ port: new RecordingPort(), auth });
/** The id of the last token request posted to `t`. */
const lastAsk = (t: Tab): number => (t.port.posted.at(-1) as { id: number }).id;

describe('token requests (host side)', () => {
  it('asks the first tab that has a provider, and resolves with its answer', async () => {
    const requests = createTokenRequests<Tab>();
    const none = tab(false);
    const some = tab();
    const token = requests.ask(new Set([none, some]), { reason: 'refresh' });
    expect(none.port.posted).toEqual([]);
    expect(some.port.posted).toEqual([{ t: 'token', id: lastAsk(some), reason: 'refresh' }]);
    requests.answer({ t: 'token', id: lastAsk(some), token: 'jwt-1' });
    await expect(token).resolves.toBe('jwt-1');
    // A second answer to the same id is ignored.
    requests.answer({ t: 'token', id: lastAsk(some), token: 'jwt-2' });
  });

  it("a provider's failure rejects with the tab's error", async () => {
    const requests = createTokenRequests<Tab>();
    const only = tab();
    const token = requests.ask(new Set([only]), { reason: 'connect' });
    requests.answer({ t: 'token', id: lastAsk(only), error: { code: 'auth_failed', message: 'logged out' } });
    await expect(token).rejects.toMatchObject({ code: 'auth_failed', message: 'logged out' });
  });

  it('a tab that closes before answering passes the request to the next tab', async () => {
    const requests = createTokenRequests<Tab>();
    const first = tab();
    const second = tab();
    const tabs = new Set([first, second]);
    const token = requests.ask(tabs, { reason: 'connect' });
    tabs.delete(first);
    requests.forget(first);
    await waitFor(() => second.port.posted.length > 0);
    expect(second.port.posted).toEqual([{ t: 'token', id: lastAsk(second), reason: 'connect' }]);
    requests.answer({ t: 'token', id: lastAsk(second), token: 'jwt-2' });
    await expect(token).resolves.toBe('jwt-2');
  });

  it('no tab can provide a token: token_failed', async () => {
    const requests = createTokenRequests<Tab>();
    const first = tab();
    const token = requests.ask(new Set([first, tab(false)]), { reason: 'connect' });
    requests.forget(first);
    await expect(token).rejects.toMatchObject({ code: 'token_failed', message: 'No open tab can provide a token' });
  });
});

describe('answerToken (tab side)', () => {
  it("answers with the provider's token, also when it comes with an expiry", async () => {
    await expect(answerToken({ token: () => 'jwt' }, 3, 'connect')).resolves.toEqual({
      t: 'token',
      id: 3,
      token: 'jwt',
    });
    const reasons: string[] = [];
    const auth = {
      token: ({ reason }: { reason: string }) => {
        reasons.push(reason);
        return Promise.resolve({ token: 'jwt-x', expiresAt: Date.now() + 60_000 });
      },
    };
    await expect(answerToken(auth, 4, 'refresh')).resolves.toEqual({ t: 'token', id: 4, token: 'jwt-x' });
    expect(reasons).toEqual(['refresh']);
  });

  it('a provider that throws, or none, answers with a posted error', async () => {
    const failing = {
      token: () => {
        throw new DashwireError('auth_failed', 'logged out');
      },
    };
    await expect(answerToken(failing, 5, 'connect')).resolves.toEqual({
      t: 'token',
      id: 5,
      error: { code: 'auth_failed', message: 'logged out', details: {} },
    });
    await expect(answerToken(undefined, 6, 'connect')).resolves.toMatchObject({
      t: 'token',
      id: 6,
      error: { code: 'token_failed' },
    });
    await expect(
      answerToken({ token: () => Promise.reject(new Error('offline')) }, 7, 'connect'),
    ).resolves.toMatchObject({
      error: { code: 'token_failed', message: 'offline' },
    });
  });
});
