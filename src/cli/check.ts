import WebSocket from 'ws';
import { isRecord } from '../protocol/json.js';
import type { CliIO } from './io.js';

/**
 * `dashwire check`: a conformance runner for native-protocol servers (docs/protocol.md §12).
 * It drives a server through the spec over real sockets and HTTP and reports one PASS/FAIL
 * line per rule. It publishes nothing: the server must be publishing on the channel under test
 * (live events, at least one every `timeoutMs`), as a dev or staging server with a feed does.
 */

/** Options of {@link runCheck}. @category CLI */
export interface CheckOptions {
  /** The server's WebSocket URL. */
  readonly url: string;
  /** Token to authenticate with; also enables the auth rules (§9). */
  readonly token?: string;
  /** REST polling base URL; `false` skips the REST rules. @default the WebSocket URL's origin over http(s) */
  readonly httpUrl?: string | false;
  /** A channel the server publishes on. @default 'prices' */
  readonly channel?: string;
  /** Longest wait for any one answer or event, in ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** Defaults of {@link CheckOptions}. @category CLI */
export const checkDefaults = { channel: 'prices', timeoutMs: 5_000 } as const;

/** One rule's outcome. @category CLI */
export interface RuleResult {
  /** Section of docs/protocol.md, e.g. `§5`. */
  readonly section: string;
  readonly rule: string;
  readonly ok: boolean;
  /** Why it failed. */
  readonly detail?: string;
}

type Frame = Record<string, unknown>;

class Timeout extends Error {
  override readonly name = 'Timeout';
}

/** One check connection: frames kept in arrival order (batches unrolled), waits by predicate. */
class Conn {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  private readonly waiters = new Set<() => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(
          Buffer.isBuffer(data)
            ? data.toString()
            : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString(),
        );
      } catch {
        parsed = { op: '(not JSON)' };
      }
      for (const item of Array.isArray(parsed) ? parsed : [parsed])
        this.frames.push(isRecord(item) ? item : { op: '(not an object)' });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  static open(url: string, timeoutMs: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
      const conn = new Conn(ws);
      ws.once('open', () => resolve(conn));
      ws.once('error', (error) => reject(error));
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  send(frame: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame at index ≥ `from` that matches; rejects with Timeout. */
  next(match: (frame: Frame) => boolean, timeoutMs: number, from = 0): Promise<Frame> {
    return this.until(() => this.frames.slice(from).find(match), timeoutMs);
  }

  until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Timeout(`nothing within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  waitClosed(timeoutMs: number): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, timeoutMs);
  }

  close(): void {
    this.ws.terminate();
  }
}

const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const show = (frame: unknown): string => {
  const text = JSON.stringify(frame) ?? String(frame);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

/** The REST base the client would derive: the WebSocket URL's origin over http(s). */
export function httpBaseOf(wsUrl: string): string {
  const url = new URL(wsUrl);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
}

/**
 * Runs every rule against a server; `report` sees each result as it is decided.
 * @category CLI
 */
export async function runCheck(
  options: CheckOptions,
  report: (result: RuleResult) => void = () => {},
): Promise<RuleResult[]> {
  const channel = options.channel ?? checkDefaults.channel;
  const timeoutMs = options.timeoutMs ?? checkDefaults.timeoutMs;
  const results: RuleResult[] = [];
  const conns: Conn[] = [];
  const record = (section: string, rule: string, ok: boolean, detail?: string): boolean => {
    const result: RuleResult = ok ? { section, rule, ok } : { section, rule, ok, detail: detail ?? 'failed' };
    results.push(result);
    report(result);
    return ok;
  };
  /** Runs one rule: its body returns true/false or throws (a Timeout or a message) to fail. */
  const rule = async (section: string, text: string, body: () => Promise<true | string>): Promise<boolean> => {
    try {
      const verdict = await body();
      return record(section, text, verdict === true, verdict === true ? undefined : verdict);
    } catch (error) {
      return record(section, text, false, error instanceof Error ? error.message : String(error));
    }
  };
  const open = async (): Promise<Conn> => {
    const conn = await Conn.open(options.url, timeoutMs);
    conns.push(conn);
    return conn;
  };
  /** A connection that authenticated (with --token) and got its welcome. */
  const session = async (): Promise<{ conn: Conn; welcome: Frame }> => {
    const conn = await open();
    if (options.token !== undefined) conn.send({ op: 'auth', token: options.token });
    const welcome = await conn
      .next((f) => f.op === 'welcome', timeoutMs)
      .catch(() => {
        throw new Error(
          `no welcome within ${timeoutMs} ms${options.token === undefined ? ' (if the server requires auth, pass --token)' : ''}; got ${show(conn.frames[0] ?? conn.closed ?? 'nothing')}`,
        );
      });
    return { conn, welcome };
  };
  let nextId = 1;
  const ack = (conn: Conn, id: number) =>
    conn.next((f) => f.id === id && (f.op === 'ack' || f.op === 'error'), timeoutMs);
  /** Subscribes and resolves with the ack (or throws with what came instead). */
  const subscribe = async (conn: Conn, params: Record<string, unknown>, since?: number): Promise<Frame> => {
    const id = nextId++;
    conn.send(
      since === undefined ? { op: 'subscribe', id, channel, params } : { op: 'subscribe', id, channel, params, since },
    );
    const answer = await ack(conn, id).catch(() => {
      throw new Error(`subscribe id ${id} was not answered within ${timeoutMs} ms`);
    });
    if (answer.op !== 'ack') throw new Error(`subscribe id ${id} refused: ${show(answer)}`);
    return answer;
  };
  const liveEvents = (conn: Conn, from = 0): Frame[] =>
    conn.frames.slice(from).filter((f) => f.op === 'event' && f.channel === channel);
  const waitEvents = (conn: Conn, count: number, from = 0): Promise<Frame[]> =>
    conn
      .until(() => {
        const events = liveEvents(conn, from);
        return events.length >= count ? events : undefined;
      }, timeoutMs * count)
      .catch(() => {
        throw new Error(
          `fewer than ${count} event(s) on "${channel}" within ${timeoutMs * count} ms (the server must be publishing on it; see --channel)`,
        );
      });

  try {
    // ── WebSocket: welcome, acks, errors, ping ─────────────────────────────────────────────
    let main: { conn: Conn; welcome: Frame } | undefined;
    await rule('§3', 'welcome: the first frame is a welcome with a string session', async () => {
      main = await session();
      const first = main.conn.frames[0];
      if (first?.op !== 'welcome') return `first frame was ${show(first)}`;
      return typeof first.session === 'string' ? true : `welcome without a string session: ${show(first)}`;
    });
    if (!main) return results;
    const { conn } = main;
    await rule('§11', 'welcome.version is "1.1"', () =>
      Promise.resolve(main!.welcome.version === '1.1' ? true : `version is ${show(main!.welcome.version)}`),
    );

    let first: Frame | undefined;
    await rule('§4', "a subscribe is acked with its id, the channel and the channel's last seq", async () => {
      first = await subscribe(conn, {});
      if (first.channel !== channel) return `ack channel is ${show(first.channel)}`;
      return isSeq(first.seq) ? true : `ack seq is ${show(first.seq)}, expected an integer ≥ 0`;
    });

    await rule(
      '§3',
      'a subscribe to a channel the server does not have gets error unknown_channel with its id',
      async () => {
        const id = nextId++;
        const name = `dashwire-check-${Math.random().toString(36).slice(2, 10)}`;
        conn.send({ op: 'subscribe', id, channel: name, params: {} });
        const answer = await ack(conn, id);
        return answer.op === 'error' && answer.code === 'unknown_channel' ? true : `got ${show(answer)}`;
      },
    );

    await rule('§3', 'a malformed frame gets error bad_request, and the connection stays open', async () => {
      const id = nextId++;
      conn.send({ op: 'subscribe', id });
      const answer = await ack(conn, id);
      if (answer.op !== 'error' || answer.code !== 'bad_request') return `got ${show(answer)}`;
      const ping = nextId++;
      conn.send({ op: 'ping', id: ping });
      await conn.next((f) => f.op === 'pong' && f.id === ping, timeoutMs);
      return true;
    });

    await rule('§6', 'ping is answered by pong with the same id', async () => {
      const id = nextId++;
      conn.send({ op: 'ping', id });
      await conn
        .next((f) => f.op === 'pong' && f.id === id, timeoutMs)
        .catch(() => {
          throw new Error(`no pong with id ${id} within ${timeoutMs} ms`);
        });
      return true;
    });

    let events: Frame[] = [];
    await rule('§3', 'live events carry channel, a string type, data and an integer seq ≥ 1', async () => {
      events = await waitEvents(conn, 3);
      const bad = events.find((e) => typeof e.type !== 'string' || !('data' in e) || !isSeq(e.seq) || e.seq < 1);
      return bad ? `malformed event ${show(bad)}` : true;
    });
    await rule('§3', "seq is per channel: +1 with every event, continuing from the ack's seq", () =>
      Promise.resolve(seqVerdict(first, events)),
    );

    // ── Several subscriptions of one channel; unsubscribe names one ────────────────────────
    const mark = conn.frames.length;
    await rule('§4', 'several subscriptions of one channel: each event arrives once per connection', async () => {
      await subscribe(conn, { dashwire_check: 'b' });
      const after = await waitEvents(conn, 3, mark);
      const seqs = after.map((e) => e.seq as number);
      const dup = seqs.find((s, i) => seqs.indexOf(s) !== i);
      return dup === undefined ? true : `seq ${dup} arrived twice`;
    });
    let unsubscribed = -1;
    await rule('§4', 'unsubscribe (with params) is acked with its id and channel', async () => {
      const id = nextId++;
      conn.send({ op: 'unsubscribe', id, channel, params: { dashwire_check: 'b' } });
      const answer = await ack(conn, id);
      unsubscribed = conn.frames.indexOf(answer);
      return answer.op === 'ack' && answer.channel === channel ? true : `got ${show(answer)}`;
    });
    await rule('§4', 'unsubscribing one params variant keeps the other subscriptions of the channel live', async () => {
      if (unsubscribed < 0) return 'the unsubscribe was not acked';
      await waitEvents(conn, 2, unsubscribed + 1);
      return true;
    });
    await rule('§4', 'unsubscribing a subscription the connection does not hold is still acked', async () => {
      const id = nextId++;
      conn.send({ op: 'unsubscribe', id, channel, params: { dashwire_check: 'never-subscribed' } });
      const answer = await ack(conn, id);
      return answer.op === 'ack' ? true : `got ${show(answer)}`;
    });

    // ── Resume ────────────────────────────────────────────────────────────────────────────
    const seen = liveEvents(conn).map((e) => e.seq as number);
    const last = Math.max(0, ...seen);
    await rule(
      '§5',
      'subscribe with since replays every event with seq > since, in order, before the ack (recovered:true)',
      async () => {
        if (last < 3) return 'too few events seen to resume from';
        const since = last - 2;
        const { conn: again } = await session();
        const answer = await subscribe(again, {}, since);
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
    await rule(
      '§5',
      "since beyond the channel's last seq: no replay, ack recovered:false with the channel's last seq",
      async () => {
        const since = last + 1_000_000_000;
        const { conn: future } = await session();
        const answer = await subscribe(future, {}, since);
        const replayed = future.frames.slice(0, future.frames.indexOf(answer)).filter((f) => f.op === 'event');
        if (replayed.length > 0) return `replayed ${replayed.length} event(s)`;
        if (answer.recovered !== false) return `ack says recovered: ${show(answer.recovered)}`;
        return isSeq(answer.seq) && answer.seq < since && answer.seq >= last
          ? true
          : `ack seq ${show(answer.seq)}, expected the channel's last seq (≥ ${last})`;
      },
    );

    // ── Auth ──────────────────────────────────────────────────────────────────────────────
    if (options.token !== undefined) {
      const refused = async (firstFrame: unknown): Promise<true | string> => {
        const c = await open();
        c.send(firstFrame);
        const error = await c.next((f) => f.op !== 'welcome', timeoutMs).catch(() => undefined);
        const closed = await c.waitClosed(timeoutMs).catch(() => undefined);
        if (!error || error.op !== 'error' || error.code !== 'unauthorized') return `got ${show(error ?? 'no frame')}`;
        if (c.frames.some((f) => f.op === 'welcome' || f.op === 'event'))
          return 'sent welcome or events before a valid auth';
        return closed?.code === 4001
          ? true
          : `closed with ${closed ? closed.code : 'nothing (still open)'}, expected 4001`;
      };
      await rule('§9', 'a first frame that is not auth gets error unauthorized, then close 4001', () =>
        refused({ op: 'subscribe', id: 1, channel, params: {} }),
      );
      await rule('§9', 'a refused token gets error unauthorized, then close 4001', () =>
        refused({ op: 'auth', token: 'dashwire-check-invalid-token' }),
      );
    }

    // ── REST polling ──────────────────────────────────────────────────────────────────────
    if (options.httpUrl !== false)
      await restRules(options, channel, timeoutMs, Math.max(0, ...liveEvents(conn).map((e) => e.seq as number)), rule);
  } finally {
    for (const c of conns) c.close();
  }
  return results;
}

type RuleFn = (section: string, text: string, body: () => Promise<true | string>) => Promise<boolean>;

async function restRules(
  options: CheckOptions,
  channel: string,
  timeoutMs: number,
  last: number,
  rule: RuleFn,
): Promise<void> {
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
  await rule('§8', "GET /events?channels=C (no cursor): 200, no events, next.C = the channel's position", async () => {
    const res = await get(list());
    if (res.status !== 200) return `HTTP ${res.status}: ${res.text.slice(0, 120)}`;
    const next = nextOf(res.body);
    if (!isSeq(next) || next < last) return `next.${channel} is ${show(next)}, expected ≥ ${last}`;
    position = next;
    return seqsOf(res.body).length === 0 ? true : 'events were served without a cursor';
  });
  const since = Math.max(0, position - 6);
  let full: { text: string; seqs: number[] } | undefined;
  await rule('§8', 'GET /events?channels=C:N serves seq > N in order, and next.C = the last seq served', async () => {
    if (position < 2) return 'the channel has too few events to poll';
    const res = await get(list(since));
    if (res.status !== 200) return `HTTP ${res.status}`;
    const seqs = seqsOf(res.body);
    if (seqs.length === 0 || seqs[0] !== since + 1) return `events ${seqs.join(',') || 'none'} after since ${since}`;
    if (seqs.some((s, i) => i > 0 && s !== seqs[i - 1]! + 1)) return `not contiguous: ${seqs.join(',')}`;
    full = { text: res.text, seqs };
    const next = nextOf(res.body);
    return next === seqs.at(-1) ? true : `next.${channel} is ${show(next)}, last event served is ${seqs.at(-1)}`;
  });
  await rule(
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
  await rule(
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
  await rule(
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
    await rule('§8', 'a poll without a valid Bearer token gets 401', async () => {
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

/** `dashwire check <ws-url> [--token T] [--http URL | --no-http] [--channel C] [--timeout MS]`. */
export async function check(url: string, options: Omit<CheckOptions, 'url'>, io: CliIO): Promise<number> {
  io.stdout.write(`dashwire check ${url}\n`);
  const results = await runCheck({ ...options, url }, (r) => {
    io.stdout.write(`${r.ok ? 'PASS' : 'FAIL'} ${r.section.padEnd(4)} ${r.rule}${r.ok ? '' : ` — ${r.detail}`}\n`);
  });
  const failed = results.filter((r) => !r.ok).length;
  io.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed === 0 && results.length > 0 ? 0 : 1;
}

/** The per-channel seq rule: the first event follows the ack's seq, and each next one is +1. */
function seqVerdict(ack: Frame | undefined, events: readonly Frame[]): true | string {
  if (!ack || events.length === 0) return 'no ack or no events to compare';
  const seqs = events.map((e) => e.seq as number);
  if (seqs[0] !== (ack.seq as number) + 1) return `ack seq ${show(ack.seq)}, first event seq ${seqs[0]}`;
  const jump = seqs.findIndex((s, i) => i > 0 && s !== seqs[i - 1]! + 1);
  return jump === -1 ? true : `seq ${seqs[jump - 1]} followed by ${seqs[jump]}`;
}
