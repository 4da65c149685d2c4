import { appendFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';
import { observeTransitions, type TransitionRecord } from '../../src/client/state.js';

/**
 * Runs before every unit test file (vitest `setupFiles`): records each connection-state move
 * any client makes in the file, and fails the file if one was outside the declared transition
 * table (`connectionTransitions`, the one docs/lifecycle.md draws). Together over the whole
 * suite: every transition a test can provoke is in the table.
 */
const seen: TransitionRecord[] = [];
observeTransitions((record) => seen.push(record));
const expected: string[] = [];

/** For a test that provokes refused moves on purpose (the state machine's own unit test). */
export function expectRefused(...moves: string[]): void {
  expected.push(...moves);
}

afterAll(() => {
  const log = process.env.DASHWIRE_TRANSITIONS_LOG;
  if (log)
    appendFileSync(
      log,
      seen
        .map((r) => `${r.from} -> ${r.to}${r.error ? ` (${r.error.code})` : ''}${r.allowed ? '' : ' REFUSED'}\n`)
        .join(''),
    );
  const refused = seen.filter((r) => !r.allowed).map((r) => `${r.from} → ${r.to}`);
  for (const move of expected) {
    const at = refused.indexOf(move);
    if (at >= 0) refused.splice(at, 1);
  }
  expect(refused, 'connection-state moves outside connectionTransitions').toEqual([]);
});
