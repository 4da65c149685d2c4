import { isSeq, show, type CheckRun } from './check-run.js';
import type { Conn } from './connection.js';

/**
 * Resume (§5), each on a new connection: `since` inside the history replays the rest before the
 * ack; `since` past the channel's end replays nothing. `conn` is the connection whose events
 * say how far the channel has come.
 */
export async function resumeRules(run: CheckRun, conn: Conn): Promise<void> {
  const { channel } = run;
  const seen = run.liveEvents(conn).map((e) => e.seq as number);
  const last = Math.max(0, ...seen);
  await run.rule(
    '§5',
    'subscribe with since replays every event with seq > since, in order, before the ack (recovered:true)',
    async () => {
      if (last < 3) return 'too few events seen to resume from';
      const since = last - 2;
      const { conn: again } = await run.session();
      const answer = await run.subscribe(again, {}, since);
      const before = again.frames
        .slice(0, again.frames.indexOf(answer))
        .filter((f) => f.op === 'event' && f.channel === channel);
      const seqs = before.map((e) => e.seq as number);
      if (seqs.length === 0) return `no event replayed before the ack (since ${since}; ack ${show(answer)})`;
      const expected = Array.from({ length: seqs.length }, (_, i) => since + 1 + i);
      if (seqs.join() !== expected.join()) return `replayed ${seqs.join(',')}, expected ${since + 1}… in order`;
      if (seqs.at(-1)! < last) return `replay stopped at ${seqs.at(-1)}, the check had seen ${last}`;
      if (answer.recovered !== true) return `ack after a full replay says recovered: ${show(answer.recovered)}`;
      return isSeq(answer.seq) && answer.seq >= seqs.at(-1)!
        ? true
        : `ack seq ${show(answer.seq)} is below the last replayed ${seqs.at(-1)}`;
    },
  );
  await run.rule(
    '§5',
    "since beyond the channel's last seq: no replay, ack recovered:false with the channel's last seq",
    async () => {
      const since = last + 1_000_000_000;
      const { conn: future } = await run.session();
      const answer = await run.subscribe(future, {}, since);
      const replayed = future.frames.slice(0, future.frames.indexOf(answer)).filter((f) => f.op === 'event');
      if (replayed.length > 0) return `replayed ${replayed.length} event(s)`;
      if (answer.recovered !== false) return `ack says recovered: ${show(answer.recovered)}`;
      return isSeq(answer.seq) && answer.seq < since && answer.seq >= last
        ? true
        : `ack seq ${show(answer.seq)}, expected the channel's last seq (≥ ${last})`;
    },
  );
}
