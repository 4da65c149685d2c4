import type { DashwireError } from '../errors.js';
import type { ConnectionState } from './types.js';

/**
 * The client's connection state with what it carries: the error that made it leave `open`
 * (`reconnecting`), or why it stopped (`closed`, none after a plain `close()`).
 * @category Client
 */
export type ConnectionStatus =
  | { readonly state: 'idle' | 'connecting' | 'open' | 'polling'; readonly error?: undefined }
  | { readonly state: 'reconnecting'; readonly error: DashwireError }
  | { readonly state: 'closed'; readonly error: DashwireError | undefined };

/**
 * Every move the connection state may make, and the only ones: `setState` refuses any other.
 * docs/lifecycle.md draws exactly this table (a test compares them).
 * @category Client
 */
export const connectionTransitions = {
  idle: ['connecting', 'closed'],
  // `connecting`: an attempt is in flight on an endpoint that has not been open yet (the
  // polling fallback's first request included).
  connecting: ['open', 'reconnecting', 'polling', 'idle', 'closed'],
  // → connecting: a second endpoint's first connect, or usePolling()'s first poll in flight.
  open: ['connecting', 'reconnecting', 'idle', 'closed'],
  reconnecting: ['open', 'connecting', 'polling', 'idle', 'closed'],
  polling: ['connecting', 'reconnecting', 'closed'],
  closed: [],
} as const satisfies { readonly [S in ConnectionState]: readonly ConnectionState[] };

/** Whether the table allows moving from `from` to `to`. @category Client */
export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return (connectionTransitions[from] as readonly ConnectionState[]).includes(to);
}

/** One attempted move, as a {@link observeTransitions} observer sees it. */
export interface TransitionRecord {
  readonly from: ConnectionState;
  readonly to: ConnectionState;
  /** False when the table refused the move (a dashwire bug: the state did not change). */
  readonly allowed: boolean;
  readonly error?: DashwireError;
}

const observers = new Set<(record: TransitionRecord) => void>();

/**
 * Debug hook: sees every move any client attempts, refused ones included. The test suite uses
 * it to check that no test ever drives a client outside {@link connectionTransitions}. Returns
 * the function that removes the observer.
 */
export function observeTransitions(observer: (record: TransitionRecord) => void): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Tells the observers of an attempted move (no-op without observers). */
export function reportTransition(record: TransitionRecord): void {
  for (const observer of observers) observer(record);
}
