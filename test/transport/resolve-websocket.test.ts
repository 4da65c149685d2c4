import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { resolveWebSocket } from '../../src/transport/websocket.js';

const load = createRequire(import.meta.url);

describe('resolveWebSocket in Node', () => {
  it('prefers an injected implementation', () => {
    class Fake {}
    expect(resolveWebSocket(Fake as never)).toBe(Fake);
  });

  it.skipIf(typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function')(
    'loads isomorphic-ws (the ws class in Node) when the runtime has no global WebSocket',
    () => {
      const expected = load('isomorphic-ws') as unknown;
      expect(resolveWebSocket()).toBe(expected);
      expect(resolveWebSocket()).toBe((load('ws') as { WebSocket: unknown }).WebSocket);
    },
  );
});
