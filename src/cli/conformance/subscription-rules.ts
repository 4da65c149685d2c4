import { show, type CheckRun } from './check-run.js';
import type { Conn } from './connection.js';

/**
 * Several subscriptions of one channel on one connection, and unsubscribe naming one of them by
 * its params (§4). `conn` already holds the plain subscription of {@link websocketRules}.
 */
export async function subscriptionRules(run: CheckRun, conn: Conn): Promise<void> {
  const { channel } = run;
  const mark = conn.frames.length;
  await run.rule('§4', 'several subscriptions of one channel: each event arrives once per connection', async () => {
    await run.subscribe(conn, { dashwire_check: 'b' });
    const after = await run.waitEvents(conn, 3, mark);
    const seqs = after.map((e) => e.seq as number);
    const dup = seqs.find((s, i) => seqs.indexOf(s) !== i);
    return dup === undefined ? true : `seq ${dup} arrived twice`;
  });
  let unsubscribed = -1;
  await run.rule('§4', 'unsubscribe (with params) is acked with its id and channel', async () => {
    const id = run.nextId();
    conn.send({ op: 'unsubscribe', id, channel, params: { dashwire_check: 'b' } });
    const answer = await run.ack(conn, id);
    unsubscribed = conn.frames.indexOf(answer);
    return answer.op === 'ack' && answer.channel === channel ? true : `got ${show(answer)}`;
  });
  await run.rule(
    '§4',
    'unsubscribing one params variant keeps the other subscriptions of the channel live',
    async () => {
      if (unsubscribed < 0) return 'the unsubscribe was not acked';
      await run.waitEvents(conn, 2, unsubscribed + 1);
      return true;
    },
  );
  await run.rule('§4', 'unsubscribing a subscription the connection does not hold is still acked', async () => {
    const id = run.nextId();
    conn.send({ op: 'unsubscribe', id, channel, params: { dashwire_check: 'never-subscribed' } });
    const answer = await run.ack(conn, id);
    return answer.op === 'ack' ? true : `got ${show(answer)}`;
  });
}
