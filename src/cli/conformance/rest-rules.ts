import { isRecord } from '../../protocol/json.js';
import { isSeq, show, type CheckRun } from './check-run.js';
import type { Frame } from './connection.js';

/** The REST base the client would derive: the WebSocket URL's origin over http(s). */
export function httpBaseOf(wsUrl: string): string {
  const url = new URL(wsUrl);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
}

/**
 * REST polling (§8) and the optional snapshot endpoint (§14), against `--http` or the WebSocket
 * URL's origin: the cursorless poll, a poll from a cursor, paging by `maxBytes`, an unknown channel
 * beside a known one, and (with `--token`) the 401 for a missing or refused Bearer token. `last` is
 * the highest seq the WebSocket rules saw on the channel: the position a poll must reach.
 */
export async function restRules(run: CheckRun, last: number): Promise<void> {
  const { channel, timeoutMs, options } = run;
  const base = (options.httpUrl || httpBaseOf(options.url)).replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const get = async (
    query: string,
    extra: Record<string, string> = headers,
  ): Promise<{ status: number; text: string; body: Frame }> => {
    const response = await fetch(`${base}/events?${query}`, { headers: extra, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, text, body: isRecord(body) ? body : {} };
  };
  const list = (since?: number): string =>
    new URLSearchParams({
      channels: since === undefined ? encodeURIComponent(channel) : `${encodeURIComponent(channel)}:${since}`,
    }).toString();
  const seqsOf = (body: Frame): number[] =>
    (Array.isArray(body.events) ? body.events : []).map((e) => (isRecord(e) ? (e.seq as number) : NaN));
  const nextOf = (body: Frame): unknown => (isRecord(body.next) ? body.next[channel] : undefined);

  let position = last;
  await run.rule(
    '§8',
    "GET /events?channels=C (no cursor): 200, no events, next.C = the channel's position",
    async () => {
      const res = await get(list());
      if (res.status !== 200) return `HTTP ${res.status}: ${res.text.slice(0, 120)}`;
      const next = nextOf(res.body);
      if (!isSeq(next) || next < last) return `next.${channel} is ${show(next)}, expected ≥ ${last}`;
      position = next;
      return seqsOf(res.body).length === 0 ? true : 'events were served without a cursor';
    },
  );
  const since = Math.max(0, position - 6);
  let full: { text: string; seqs: number[] } | undefined;
  await run.rule(
    '§8',
    'GET /events?channels=C:N serves seq > N in order, and next.C = the last seq served',
    async () => {
      if (position < 2) return 'the channel has too few events to poll';
      const res = await get(list(since));
      if (res.status !== 200) return `HTTP ${res.status}`;
      const seqs = seqsOf(res.body);
      if (seqs.length === 0 || seqs[0] !== since + 1) return `events ${seqs.join(',') || 'none'} after since ${since}`;
      if (seqs.some((s, i) => i > 0 && s !== seqs[i - 1]! + 1)) return `not contiguous: ${seqs.join(',')}`;
      full = { text: res.text, seqs };
      const next = nextOf(res.body);
      return next === seqs.at(-1) ? true : `next.${channel} is ${show(next)}, last event served is ${seqs.at(-1)}`;
    },
  );
  await run.rule(
    '§8',
    'a backlog over maxBytes is paged: bodies ≤ maxBytes, more:true, and the pages carry every event once',
    async () => {
      if (!full || full.seqs.length < 3) return 'no backlog of 3 events to page';
      // Room for about half the backlog: at least two pages.
      const maxBytes = Math.max(256, Math.ceil(new TextEncoder().encode(full.text).length / 2));
      const got: number[] = [];
      let cursor = since;
      for (let page = 0; page < 50; page += 1) {
        const res = await get(`${list(cursor)}&maxBytes=${maxBytes}`);
        if (res.status !== 200) return `HTTP ${res.status} with maxBytes=${maxBytes}`;
        const size = new TextEncoder().encode(res.text).length;
        if (size > maxBytes) return `a ${size}-byte body for maxBytes=${maxBytes}`;
        const seqs = seqsOf(res.body);
        got.push(...seqs);
        const next = nextOf(res.body);
        if (!isSeq(next)) return `next.${channel} is ${show(next)}`;
        if (seqs.length > 0 && next !== seqs.at(-1))
          return `next.${channel} ${next} is not the last seq served (${seqs.at(-1)})`;
        if (res.body.more !== true) break;
        if (page === 0 && seqs.length === 0) return 'more:true on a page without events';
        cursor = next;
      }
      if (got.length < full.seqs.length)
        return `pages carried ${got.length} events, the unpaged body ${full.seqs.length}`;
      const fits = got.length > 0 && got.every((s, i) => s === since + 1 + i);
      return fits ? true : `paged seqs ${got.slice(0, 12).join(',')}… are not ${since + 1}… once each`;
    },
  );
  await run.rule(
    '§8',
    'an unknown channel in a multi-channel poll is reported in errors; the other channels are served (200)',
    async () => {
      const bogus = `dashwire-check-${Math.random().toString(36).slice(2, 10)}`;
      const query = new URLSearchParams({
        channels: `${encodeURIComponent(channel)}:${since},${encodeURIComponent(bogus)}`,
      }).toString();
      const res = await get(query);
      if (res.status !== 200) return `HTTP ${res.status}`;
      const error = isRecord(res.body.errors) ? res.body.errors[bogus] : undefined;
      if (!isRecord(error) || error.code !== 'unknown_channel') return `errors.${bogus} is ${show(error)}`;
      return seqsOf(res.body).length > 0 ? true : `no events for "${channel}" next to the error`;
    },
  );
  await run.rule(
    '§14',
    'GET /snapshot?channel=C (optional): 404, or 200 {seq ≥ the position polled before, items: [{type, data}]}',
    async () => {
      const response = await fetch(`${base}/snapshot?${new URLSearchParams({ channel }).toString()}`, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      // Absent is allowed: clients detect the 404 and stream live events only.
      if (response.status === 404 && !text.includes('unknown_channel')) return true;
      if (response.status !== 200) return `HTTP ${response.status}: ${text.slice(0, 120)}`;
      let body: unknown;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        return 'body is not JSON';
      }
      if (!isRecord(body) || !Array.isArray(body.items)) return 'body has no "items" array';
      if (!isSeq(body.seq) || body.seq < position) return `seq is ${show(body.seq)}, expected ≥ ${position}`;
      const items: readonly unknown[] = body.items;
      const bad = items.find((item) => !isRecord(item) || typeof item.type !== 'string' || !('data' in item));
      return bad === undefined ? true : `item ${show(bad)} is not {type, data}`;
    },
  );
  if (options.token !== undefined) {
    await run.rule('§8', 'a poll without a valid Bearer token gets 401', async () => {
      const none = await get(list(), { accept: 'application/json' });
      const bad = await get(list(), {
        accept: 'application/json',
        authorization: 'Bearer dashwire-check-invalid-token',
      });
      return none.status === 401 && bad.status === 401
        ? true
        : `HTTP ${none.status} without a token, ${bad.status} with a refused one`;
    });
  }
}
