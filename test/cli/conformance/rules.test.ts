import { describe, expect, it } from 'vitest';
import { authRules } from '../../../src/cli/conformance/auth-rules.js';
import { CheckRun } from '../../../src/cli/conformance/check-run.js';
import { httpBaseOf } from '../../../src/cli/conformance/rest-rules.js';
import { seqVerdict, websocketRules } from '../../../src/cli/conformance/websocket-rules.js';
import { useCleanup } from '../../helpers/cleanup.js';
import { scriptServer } from './script-server.js';

describe('conformance rule modules', () => {
  const track = useCleanup();

  it('seqVerdict: the first event follows the ack seq and each next one is +1; it names the first break', () => {
    const events = (...seqs: number[]) => seqs.map((seq) => ({ op: 'event', seq }));
    expect(seqVerdict({ seq: 4 }, events(5, 6, 7))).toBe(true);
    expect(seqVerdict({ seq: 4 }, events(6, 7))).toBe('ack seq 4, first event seq 6');
    expect(seqVerdict({ seq: 4 }, events(5, 6, 8, 9))).toBe('seq 6 followed by 8');
    expect(seqVerdict(undefined, events(1))).toBe('no ack or no events to compare');
    expect(seqVerdict({ seq: 0 }, [])).toBe('no ack or no events to compare');
  });

  it("httpBaseOf: the WebSocket URL's origin over http(s), port kept, path and query dropped", () => {
    expect(httpBaseOf('ws://127.0.0.1:8080/ws?token=x')).toBe('http://127.0.0.1:8080');
    expect(httpBaseOf('wss://feed.example.com/v1/ws')).toBe('https://feed.example.com');
  });

  it('websocketRules stops after the welcome rule when no welcome comes: one FAIL, no connection back', async () => {
    const server = track(await scriptServer((ws) => ws.send(JSON.stringify({ op: 'hello' }))));
    const run = new CheckRun({ url: server.url, timeoutMs: 50 }, () => {});
    try {
      expect(await websocketRules(run)).toBeUndefined();
    } finally {
      run.closeAll();
    }
    expect(run.results).toEqual([
      {
        section: '§3',
        rule: 'welcome: the first frame is a welcome with a string session',
        ok: false,
        detail: 'no welcome within 50 ms (if the server requires auth, pass --token); got {"op":"hello"}',
      },
    ]);
  });

  it('authRules pass against a server that refuses with error unauthorized and close 4001', async () => {
    const server = track(
      await scriptServer((ws) =>
        ws.once('message', () => {
          ws.send(JSON.stringify({ op: 'error', code: 'unauthorized' }));
          ws.close(4001, 'unauthorized');
        }),
      ),
    );
    const run = new CheckRun({ url: server.url, token: 'secret', timeoutMs: 1_000 }, () => {});
    try {
      await authRules(run);
    } finally {
      run.closeAll();
    }
    expect(run.results.map((r) => [r.section, r.ok])).toEqual([
      ['§9', true],
      ['§9', true],
    ]);
  });

  it('authRules fail, saying what came, against a server that welcomes anyone or closes with another code', async () => {
    const open = track(await scriptServer((ws) => ws.send(JSON.stringify({ op: 'welcome', session: 's' }))));
    const wrongCode = track(
      await scriptServer((ws) =>
        ws.once('message', () => {
          ws.send(JSON.stringify({ op: 'error', code: 'unauthorized' }));
          ws.close(1008, 'policy');
        }),
      ),
    );
    const lax = new CheckRun({ url: open.url, token: 'secret', timeoutMs: 50 }, () => {});
    const odd = new CheckRun({ url: wrongCode.url, token: 'secret', timeoutMs: 1_000 }, () => {});
    try {
      await authRules(lax);
      await authRules(odd);
    } finally {
      lax.closeAll();
      odd.closeAll();
    }
    expect(lax.results.map((r) => r.detail)).toEqual(['got "no frame"', 'got "no frame"']);
    expect(odd.results.map((r) => r.detail)).toEqual([
      'closed with 1008, expected 4001',
      'closed with 1008, expected 4001',
    ]);
  });
});
