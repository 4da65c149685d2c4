import { show, type CheckRun } from './check-run.js';

/**
 * Auth over WebSocket (§9), run with `--token`: a first frame that is not auth, and a refused
 * token, each get error `unauthorized` and close 4001 before any welcome or event.
 */
export async function authRules(run: CheckRun): Promise<void> {
  const { channel, timeoutMs } = run;
  const refused = async (firstFrame: unknown): Promise<true | string> => {
    const c = await run.open();
    c.send(firstFrame);
    const error = await c.next((f) => f.op !== 'welcome', timeoutMs).catch(() => undefined);
    const closed = await c.waitClosed(timeoutMs).catch(() => undefined);
    if (!error || error.op !== 'error' || error.code !== 'unauthorized') return `got ${show(error ?? 'no frame')}`;
    if (c.frames.some((f) => f.op === 'welcome' || f.op === 'event'))
      return 'sent welcome or events before a valid auth';
    return closed?.code === 4001 ? true : `closed with ${closed ? closed.code : 'nothing (still open)'}, expected 4001`;
  };
  await run.rule('§9', 'a first frame that is not auth gets error unauthorized, then close 4001', () =>
    refused({ op: 'subscribe', id: 1, channel, params: {} }),
  );
  await run.rule('§9', 'a refused token gets error unauthorized, then close 4001', () =>
    refused({ op: 'auth', token: 'dashwire-check-invalid-token' }),
  );
}
