import { DashwireError } from '../errors.js';
import type { ConnectionState, StateChange } from './types.js';

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
 * The status as the state machine keeps it: `closed` also holds the promise `close()` returns
 * (internal: the public {@link ConnectionStatus} does not show it).
 */
export type MachineStatus =
  | Exclude<ConnectionStatus, { state: 'closed' }>
  | (Extract<ConnectionStatus, { state: 'closed' }> & {
      /** Resolves when every socket reported its close and no listener is left. */
      readonly drained: Promise<void>;
    });

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

/** What {@link aggregateState} reads of each connection. */
interface ConnectionFacts {
  readonly phase: string;
  readonly everOpened: boolean;
  readonly attempts: number;
}

/**
 * The state a client's connections add up to: `idle` with none (or before it runs), `open` (or
 * `polling`) when all are open, else `reconnecting` if one that is not open has been open or
 * failed before, else `connecting` (a first connect next to an open endpoint is `connecting`).
 */
export function aggregateState(
  connections: readonly ConnectionFacts[],
  running: boolean,
  polling: boolean,
): ConnectionState {
  if (!polling && (!running || connections.length === 0)) return 'idle';
  const notOpen = connections.filter((connection) => connection.phase !== 'open');
  if (notOpen.length === 0) return polling ? 'polling' : 'open';
  return notOpen.some((connection) => connection.everOpened || connection.attempts > 0) ? 'reconnecting' : 'connecting';
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

/**
 * The client's connection state machine: `move()` is the only way the state changes, and only
 * along {@link connectionTransitions}; every move is announced as a `state` event. It keeps
 * the error a later `reconnecting` or `closed` carries. `closed` is final and holds the drain
 * promise, so "is the client closing?" is a state check, never a second flag.
 */
export class StateMachine {
  private current: MachineStatus = { state: 'idle' };
  /** Why the client last left `open` or stopped. */
  private lastError: DashwireError | undefined;

  constructor(private readonly events: { emit(event: 'state', change: StateChange): void }) {}

  get status(): MachineStatus {
    return this.current;
  }

  /** Remembers why the connection went down; the next `reconnecting` or `closed` carries it. */
  noteError(error: DashwireError): void {
    this.lastError = error;
  }

  /**
   * Moves to `next` if the table allows it; a refused move is reported to debug observers and
   * not taken. Into `closed`, `drained` is what `close()` returns from then on (already
   * resolved when not given).
   */
  move(next: ConnectionState, drained?: Promise<void>): void {
    const previous = this.current.state;
    if (previous === next) return;
    const allowed = canTransition(previous, next);
    reportTransition({ from: previous, to: next, allowed, ...(this.lastError ? { error: this.lastError } : {}) });
    if (!allowed) return;
    if (next === 'reconnecting') {
      this.current = { state: next, error: this.lastError ?? new DashwireError('connection_lost', 'Connection lost') };
    } else if (next === 'closed') {
      this.current = { state: next, error: this.lastError, drained: drained ?? Promise.resolve() };
    } else {
      // Open (or polling) again: the last drop is history; a later one brings its own error.
      if (next === 'open' || next === 'polling') this.lastError = undefined;
      this.current = { state: next };
    }
    const { error } = this.current;
    this.events.emit('state', error ? { previous, current: next, error } : { previous, current: next });
  }
}
