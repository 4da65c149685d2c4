import { Conn, type Frame } from './connection.js';
import { checkDefaults, type CheckOptions, type RuleResult } from './options.js';

/** A seq as the spec allows it: a safe integer ≥ 0. */
export const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A frame (or anything) as a failure detail shows it: JSON, cut at 160 characters. */
export const show = (frame: unknown): string => {
  const text = JSON.stringify(frame) ?? String(frame);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
};

/** A connection that authenticated (with --token) and got its welcome. */
export interface CheckSession {
  readonly conn: Conn;
  readonly welcome: Frame;
}

/** A rule's body: `true` passes, a string fails with that detail, a throw fails with its message. */
export type RuleBody = () => Promise<true | string>;

/**
 * One run of `dashwire check`, shared by the rule modules: the options, the results in the order
 * they were decided, the connections to close at the end and the request ids (one sequence per run,
 * so every frame the check sends has an id no other frame of the run used).
 */
export class CheckRun {
  readonly channel: string;
  readonly timeoutMs: number;
  readonly results: RuleResult[] = [];
  private readonly conns: Conn[] = [];
  private lastId = 0;

  constructor(
    readonly options: CheckOptions,
    private readonly report: (result: RuleResult) => void,
  ) {
    this.channel = options.channel ?? checkDefaults.channel;
    this.timeoutMs = options.timeoutMs ?? checkDefaults.timeoutMs;
  }

  /** The next request id: 1, 2, 3… */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** Runs one rule, records and reports its result; resolves with whether it passed. */
  async rule(section: string, text: string, body: RuleBody): Promise<boolean> {
    try {
      const verdict = await body();
      return this.record(section, text, verdict === true, verdict === true ? undefined : verdict);
    } catch (error) {
      return this.record(section, text, false, error instanceof Error ? error.message : String(error));
    }
  }

  private record(section: string, rule: string, ok: boolean, detail?: string): boolean {
    const result: RuleResult = ok ? { section, rule, ok } : { section, rule, ok, detail: detail ?? 'failed' };
    this.results.push(result);
    this.report(result);
    return ok;
  }

  /** Opens a connection that {@link closeAll} will close. */
  async open(): Promise<Conn> {
    const conn = await Conn.open(this.options.url, this.timeoutMs);
    this.conns.push(conn);
    return conn;
  }

  /** Opens a connection, authenticates (with --token) and waits for its welcome. */
  async session(): Promise<CheckSession> {
    const { token } = this.options;
    const conn = await this.open();
    if (token !== undefined) conn.send({ op: 'auth', token });
    const welcome = await conn
      .next((f) => f.op === 'welcome', this.timeoutMs)
      .catch(() => {
        throw new Error(
          `no welcome within ${this.timeoutMs} ms${token === undefined ? ' (if the server requires auth, pass --token)' : ''}; got ${show(conn.frames[0] ?? conn.closed ?? 'nothing')}`,
        );
      });
    return { conn, welcome };
  }

  /** The ack or error answering request `id`. */
  ack(conn: Conn, id: number): Promise<Frame> {
    return conn.next((f) => f.id === id && (f.op === 'ack' || f.op === 'error'), this.timeoutMs);
  }

  /** Subscribes to the channel under test and resolves with the ack (or throws with what came instead). */
  async subscribe(conn: Conn, params: Record<string, unknown>, since?: number): Promise<Frame> {
    const { channel, timeoutMs } = this;
    const id = this.nextId();
    conn.send(
      since === undefined ? { op: 'subscribe', id, channel, params } : { op: 'subscribe', id, channel, params, since },
    );
    const answer = await this.ack(conn, id).catch(() => {
      throw new Error(`subscribe id ${id} was not answered within ${timeoutMs} ms`);
    });
    if (answer.op !== 'ack') throw new Error(`subscribe id ${id} refused: ${show(answer)}`);
    return answer;
  }

  /** The events of the channel under test received at frame index ≥ `from`. */
  liveEvents(conn: Conn, from = 0): Frame[] {
    return conn.frames.slice(from).filter((f) => f.op === 'event' && f.channel === this.channel);
  }

  /** Waits for `count` events of the channel under test at frame index ≥ `from` (`timeoutMs` per event). */
  waitEvents(conn: Conn, count: number, from = 0): Promise<Frame[]> {
    const { channel, timeoutMs } = this;
    return conn
      .until(() => {
        const events = this.liveEvents(conn, from);
        return events.length >= count ? events : undefined;
      }, timeoutMs * count)
      .catch(() => {
        throw new Error(
          `fewer than ${count} event(s) on "${channel}" within ${timeoutMs * count} ms (the server must be publishing on it; see --channel)`,
        );
      });
  }

  /** Closes every connection the run opened. */
  closeAll(): void {
    for (const conn of this.conns) conn.close();
  }
}
