import { describe, expect, it } from 'vitest';
import { run, type CliIO } from '../../src/cli/run.js';
import { createMockServer } from '../../src/mock-server/index.js';
import { useCleanup } from '../helpers/cleanup.js';
import { startTinyServer } from '../fixtures/broken-servers/tiny-server.js';
import { start as replaysNothing } from '../fixtures/broken-servers/replays-nothing.js';
import { start as neverAcks } from '../fixtures/broken-servers/never-acks.js';
import { start as ignoresUnsubscribeParams } from '../fixtures/broken-servers/ignores-unsubscribe-params.js';

function io() {
  const out: string[] = [];
  const value: CliIO = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => out.push(t) },
    signal: new AbortController().signal,
  };
  return { io: value, lines: () => out.join('').trim().split('\n') };
}

const failed = (lines: string[]) => lines.filter((l) => l.startsWith('FAIL'));

describe('dashwire check', () => {
  const track = useCleanup();

  it('passes every rule against the mock server (WebSocket and REST), exit 0', async () => {
    const server = track(await createMockServer({ feed: { rate: 100 } }));
    const t = io();
    const code = await run(['check', server.url, '--timeout', '2000'], t.io);
    expect(failed(t.lines())).toEqual([]);
    expect(code).toBe(0);
    const rules = t.lines().filter((l) => l.startsWith('PASS'));
    expect(rules.length).toBeGreaterThanOrEqual(18);
    for (const section of ['§3', '§4', '§5', '§6', '§8', '§11', '§14'])
      expect(rules.some((l) => l.startsWith(`PASS ${section}`))).toBe(true);
  });

  it('with --token it also checks the auth rules, and passes against a mock server that requires auth', async () => {
    const server = track(await createMockServer({ feed: { rate: 100 }, auth: (token) => token === 'secret' }));
    const t = io();
    const code = await run(['check', server.url, '--token', 'secret', '--timeout', '2000'], t.io);
    expect(failed(t.lines())).toEqual([]);
    expect(code).toBe(0);
    expect(t.lines().filter((l) => l.startsWith('PASS §9'))).toHaveLength(2);
    expect(t.lines()).toContain('PASS §8   a poll without a valid Bearer token gets 401');
  });

  it('a hand-written server that follows the spec passes the WebSocket rules (--no-http)', async () => {
    const server = track(await startTinyServer('none'));
    const t = io();
    expect(await run(['check', server.url, '--no-http', '--timeout', '1000'], t.io)).toBe(0);
    expect(failed(t.lines())).toEqual([]);
  });

  it('fails, naming the rule, against a server that replays nothing', async () => {
    const server = track(await replaysNothing());
    const t = io();
    expect(await run(['check', server.url, '--no-http', '--timeout', '1000'], t.io)).toBe(1);
    expect(failed(t.lines())).toEqual([
      expect.stringMatching(
        /^FAIL §5 {3}subscribe with since replays every event with seq > since, in order, before the ack \(recovered:true\) — no event replayed/,
      ),
    ]);
  });

  it('fails, naming the rules, against a server that never acks', async () => {
    const server = track(await neverAcks());
    const t = io();
    expect(await run(['check', server.url, '--no-http', '--timeout', '300'], t.io)).toBe(1);
    const lines = failed(t.lines());
    expect(lines[0]).toMatch(
      /^FAIL §4 {3}a subscribe is acked with its id, the channel and the channel's last seq — subscribe id 1 was not answered within 300 ms/,
    );
    expect(lines.some((l) => l.includes('unsubscribing one params variant'))).toBe(false);
  });

  it('fails, naming the rule, against a server that ignores unsubscribe params', async () => {
    const server = track(await ignoresUnsubscribeParams());
    const t = io();
    expect(await run(['check', server.url, '--no-http', '--timeout', '500'], t.io)).toBe(1);
    expect(failed(t.lines())).toEqual([
      expect.stringMatching(
        /^FAIL §4 {3}unsubscribing one params variant keeps the other subscriptions of the channel live — fewer than 2 event/,
      ),
    ]);
  });

  it('is a usage error without a ws:// URL', async () => {
    const t = io();
    expect(await run(['check'], t.io)).toBe(1);
    expect(t.lines()[0]).toMatch(/check needs a URL/);
  });
});
