import { describe, expect, it } from 'vitest';
import { createClient, polling, isDashwireError } from '../../src/index.js';
import { scriptedServer } from '../helpers/scripted-server.js';

/** Throws what `fn` throws, or fails when it returns. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('a URL that can never work', () => {
  for (const url of ['not a url', 'http//nope', 'ws://bad host', 'ws://127.0.0.1:99999/ws', 'ftp://feed.test/ws']) {
    it(`"${url}" is a synchronous DashwireError invalid_url from createClient, never a retry loop`, () => {
      const error = thrown(() => createClient({ url }));
      expect(isDashwireError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'invalid_url' });
    });
  }

  it('each of `urls` and the fallback polling URL are checked too; the message does not quote the URL', () => {
    const secret = 'ws://feed.test/ws?token=s3cret';
    expect(thrown(() => createClient({ urls: ['ws://ok.test/ws', 'ws://bad host?token=s3cret'] }))).toMatchObject({
      code: 'invalid_url',
    });
    expect(
      String((thrown(() => createClient({ urls: ['ws://bad host?token=s3cret'] })) as Error).message),
    ).not.toContain('s3cret');
    expect(thrown(() => createClient({ url: secret, fallback: polling({ url: 'not a url' }) }))).toMatchObject({
      code: 'invalid_url',
    });
  });

  it('a custom transport may use its own scheme, but the URL must still parse', async () => {
    const server = scriptedServer();
    const client = createClient({ url: 'memory://feed/ws', transport: server.transport });
    await client.close();
    expect(thrown(() => createClient({ url: 'not a url', transport: server.transport }))).toMatchObject({
      code: 'invalid_url',
    });
  });
});
