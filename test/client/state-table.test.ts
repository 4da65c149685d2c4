import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  canTransition,
  connectionTransitions,
  createClient,
  polling,
  defineProtocol,
  native,
  type ConnectionState,
} from '../../src/index.js';
import { observeTransitions, type TransitionRecord } from '../../src/client/state.js';
import { flush, scriptedServer } from '../helpers/scripted-server.js';

/** The edges of the mermaid state diagram in docs/lifecycle.md, as `from → to`. */
function drawnEdges(): string[] {
  const doc = readFileSync(new URL('../../docs/lifecycle.md', import.meta.url), 'utf8');
  const diagram = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const edges: string[] = [];
  for (const line of diagram.split('\n')) {
    const match = /^\s*(\w+)\s*-->\s*(\w+)/.exec(line);
    if (match) edges.push(`${match[1]} → ${match[2]}`);
  }
  return edges.sort();
}

const tableEdges = (): string[] =>
  Object.entries(connectionTransitions)
    .flatMap(([from, tos]) => tos.map((to) => `${from} → ${to}`))
    .sort();

describe('the connection-state transition table', () => {
  it('is what docs/lifecycle.md draws, exactly', () => {
    expect(drawnEdges()).toEqual(tableEdges());
  });

  it('closed is final; nothing goes back to idle from polling', () => {
    const states = Object.keys(connectionTransitions) as ConnectionState[];
    for (const to of states) expect(canTransition('closed', to)).toBe(false);
    expect(canTransition('polling', 'idle')).toBe(false);
    expect(canTransition('idle', 'open')).toBe(false);
  });

  describe('moves a client makes', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('are reported to debug observers, each one allowed by the table', async () => {
      const seen: TransitionRecord[] = [];
      const off = observeTransitions((r) => seen.push(r));
      const server = scriptedServer();
      const client = createClient({ url: 'ws://feed.test/ws', transport: server.transport, random: () => 0 });
      client.subscribe('prices');
      await flush();
      server.current!.terminate();
      await flush();
      await vi.advanceTimersByTimeAsync(200);
      await client.close();
      off();
      expect(seen.map((r) => `${r.from} → ${r.to}`)).toEqual([
        'idle → connecting',
        'connecting → open',
        'open → reconnecting',
        'reconnecting → open',
        'open → closed',
      ]);
      expect(seen.every((r) => r.allowed)).toBe(true);
      expect(seen[2]!.error?.code).toBe('connection_lost');
    });

    it('one URL per feed: the last subscription ending before its socket opened goes connecting → idle', async () => {
      const perChannel = defineProtocol({
        ...native(),
        name: 'per-channel',
        endpointFor: (base, channel) => `${base}/${channel}`,
      });
      const server = scriptedServer();
      const client = createClient({ url: 'ws://feed.test/ws', protocol: perChannel, transport: server.transport });
      const states: ConnectionState[] = [];
      client.on('state', (c) => states.push(c.current));
      const sub = client.subscribe('prices');
      await Promise.resolve();
      sub.unsubscribe();
      await flush();
      expect(states).toEqual(['connecting', 'idle']);
      await client.close();
    });

    it('connecting never carries a stale error (polling → connecting after a drop)', async () => {
      const server = scriptedServer();
      server.refuse(true);
      const fetch = async () => ({
        status: 200,
        headers: { get: () => null },
        text: async () => '{"events":[],"next":{}}',
      });
      const client = createClient({
        url: 'ws://feed.test/ws',
        transport: server.transport,
        random: () => 0,
        fallback: polling({ afterFailures: 1, fetch, probe: { initialDelayMs: 1_000, maxDelayMs: 1_000 } }),
      });
      const changes: { current: ConnectionState; error?: string }[] = [];
      client.on('state', (c) =>
        changes.push(c.error ? { current: c.current, error: c.error.code } : { current: c.current }),
      );
      client.subscribe('prices');
      await vi.advanceTimersByTimeAsync(100);
      expect(client.state).toBe('polling');
      server.refuse(false);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(client.state).toBe('open');
      expect(changes.filter((c) => c.current === 'connecting')).toEqual([
        { current: 'connecting' },
        { current: 'connecting' },
      ]);
      await client.close();
    });
  });
});
