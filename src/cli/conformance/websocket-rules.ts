import { isSeq, show, type CheckRun, type CheckSession } from './check-run.js';
import type { Conn, Frame } from './connection.js';

/**
 * The WebSocket basics, on one connection: welcome (§3) and version (§11), the subscribe ack (§4),
 * error answers (§3), ping (§6), and live events with their per-channel seq (§3). Resolves with
 * that connection for the rules that follow, or `undefined` when no welcome came: then nothing
 * else can be checked.
 */
export async function websocketRules(run: CheckRun): Promise<Conn | undefined> {
  const { channel, timeoutMs } = run;
  let main: CheckSession | undefined;
  await run.rule('§3', 'welcome: the first frame is a welcome with a string session', async () => {
    main = await run.session();
    const first = main.conn.frames[0];
    if (first?.op !== 'welcome') return `first frame was ${show(first)}`;
    return typeof first.session === 'string' ? true : `welcome without a string session: ${show(first)}`;
  });
  if (!main) return undefined;
  const { conn, welcome } = main;
  await run.rule('§11', 'welcome.version is "1.1"', () =>
    Promise.resolve(welcome.version === '1.1' ? true : `version is ${show(welcome.version)}`),
  );

  let first: Frame | undefined;
  await run.rule('§4', "a subscribe is acked with its id, the channel and the channel's last seq", async () => {
    first = await run.subscribe(conn, {});
    if (first.channel !== channel) return `ack channel is ${show(first.channel)}`;
    return isSeq(first.seq) ? true : `ack seq is ${show(first.seq)}, expected an integer ≥ 0`;
  });

  await run.rule(
    '§3',
    'a subscribe to a channel the server does not have gets error unknown_channel with its id',
    async () => {
      const id = run.nextId();
      const name = `dashwire-check-${Math.random().toString(36).slice(2, 10)}`;
      conn.send({ op: 'subscribe', id, channel: name, params: {} });
      const answer = await run.ack(conn, id);
      return answer.op === 'error' && answer.code === 'unknown_channel' ? true : `got ${show(answer)}`;
    },
  );

  await run.rule('§3', 'a malformed frame gets error bad_request, and the connection stays open', async () => {
    const id = run.nextId();
    conn.send({ op: 'subscribe', id });
    const answer = await run.ack(conn, id);
    if (answer.op !== 'error' || answer.code !== 'bad_request') return `got ${show(answer)}`;
    const ping = run.nextId();
    conn.send({ op: 'ping', id: ping });
    await conn.next((f) => f.op === 'pong' && f.id === ping, timeoutMs);
    return true;
  });

  await run.rule('§6', 'ping is answered by pong with the same id', async () => {
    const id = run.nextId();
    conn.send({ op: 'ping', id });
    await conn
      .next((f) => f.op === 'pong' && f.id === id, timeoutMs)
      .catch(() => {
        throw new Error(`no pong with id ${id} within ${timeoutMs} ms`);
      });
    return true;
  });

  let events: Frame[] = [];
  await run.rule('§3', 'live events carry channel, a string type, data and an integer seq ≥ 1', async () => {
    events = await run.waitEvents(conn, 3);
    const bad = events.find((e) => typeof e.type !== 'string' || !('data' in e) || !isSeq(e.seq) || e.seq < 1);
    return bad ? `malformed event ${show(bad)}` : true;
  });
  await run.rule('§3', "seq is per channel: +1 with every event, continuing from the ack's seq", () =>
    Promise.resolve(seqVerdict(first, events)),
  );
  return conn;
}

/** The per-channel seq rule: the first event follows the ack's seq, and each next one is +1. */
export function seqVerdict(ack: Frame | undefined, events: readonly Frame[]): true | string {
  if (!ack || events.length === 0) return 'no ack or no events to compare';
  const seqs = events.map((e) => e.seq as number);
  if (seqs[0] !== (ack.seq as number) + 1) return `ack seq ${show(ack.seq)}, first event seq ${seqs[0]}`;
  const jump = seqs.findIndex((s, i) => i > 0 && s !== seqs[i - 1]! + 1);
  return jump === -1 ? true : `seq ${seqs[jump - 1]} followed by ${seqs[jump]}`;
}
