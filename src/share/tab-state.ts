/**
 * The connection state a tab's shared client shows (`client.state`, `client.error`, `state`
 * events). It follows what the host reports, with two differences a tab must keep: a new host
 * starts from `idle`/`connecting`, which to a tab that was already open is still a reconnect;
 * and `closed` is this tab's own end, after which the host's reports no longer count.
 */
import type { SafeEmitter } from '../client/emitter.js';
import type { ConnectionState } from '../client/types.js';
import type { DashwireError } from '../errors.js';

export interface TabState {
  readonly state: ConnectionState;
  /** The last error; cleared when the connection (re)opens. */
  readonly error: DashwireError | undefined;
  /**
   * Moves to `next` (as the host reported it, or `reconnecting` when the host went away) and
   * emits `state`. False when nothing changed: the same state, or this tab closed already.
   */
  set(next: ConnectionState, error: DashwireError | undefined): boolean;
  /** This tab closed (`error`: the host closed it); emits the last `state`. */
  close(error: DashwireError | undefined): void;
}

/** `emitter`: the tab's client events, where `state` changes go. */
export function createTabState(emitter: SafeEmitter): TabState {
  let state: ConnectionState = 'idle';
  let error: DashwireError | undefined;
  let everOpen = false;

  function emit(previous: ConnectionState): void {
    emitter.emit('state', error ? { previous, current: state, error } : { previous, current: state });
  }

  return {
    get state() {
      return state;
    },
    get error() {
      return error;
    },
    set(next, nextError) {
      // A new host starts from `idle`/`connecting`; to this tab that is still a reconnect.
      if (everOpen && (next === 'idle' || next === 'connecting')) next = 'reconnecting';
      const previous = state;
      if (previous === next || previous === 'closed') return false;
      const live = next === 'open' || next === 'polling';
      if (live) everOpen = true;
      state = next;
      error = live ? undefined : (nextError ?? error);
      emit(previous);
      return true;
    },
    close(closeError) {
      const previous = state;
      state = 'closed';
      error = closeError;
      emit(previous);
    },
  };
}
