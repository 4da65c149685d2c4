/**
 * The state of a subscription, shared by the client's wire subscriptions (subscriptions.ts) and
 * a tab's handles under `share: 'tabs'` (share/proxy-subscription.ts): which moves it may make,
 * and how a move settles its `ready` promise.
 */
import { DashwireError } from '../errors.js';
import type { SubscriptionState } from './types.js';

/**
 * Whether a subscription may go from one (other) state to the next: `unsubscribed` is final and
 * reachable from anywhere; `subscribed` is entered only from `pending`; `error` from `pending`, or
 * from `subscribed` when polling (confirmed at open) learns the server refuses the channel; both
 * are left only for `pending` or `unsubscribed`. `subscribed` returns to `pending` when the
 * connection (or a tab's host) goes away.
 */
export const canMoveSubscription = (from: SubscriptionState, to: SubscriptionState): boolean =>
  from !== 'unsubscribed' &&
  (to === 'unsubscribed' || from === 'pending' || to === 'pending' || (from === 'subscribed' && to === 'error'));

/** What {@link moveSubscription} changes: the state, its error, and how to settle `ready`. */
export interface MovableSubscription {
  state: SubscriptionState;
  error: DashwireError | undefined;
  /** Settles `ready`; cleared once it is settled (it settles once, on the first answer). */
  settle: { resolve: () => void; reject: (error: DashwireError) => void } | undefined;
}

/** A `ready` promise and its settle pair; its rejection is never an unhandled rejection. */
export function readyPromise(target: Pick<MovableSubscription, 'settle'>): Promise<void> {
  const ready = new Promise<void>((resolve, reject) => {
    target.settle = { resolve, reject };
  });
  // `ready` may never be awaited; its rejection must not become an unhandled rejection.
  ready.catch(() => {});
  return ready;
}

/**
 * Moves `target` to `next` if {@link canMoveSubscription} allows it, settling `ready` on the
 * first answer. Returns whether it moved (then the caller tells its state listeners).
 */
export function moveSubscription(target: MovableSubscription, next: SubscriptionState, error?: DashwireError): boolean {
  if (next === target.state || !canMoveSubscription(target.state, next)) return false;
  target.state = next;
  target.error = next === 'error' ? error : undefined;
  if (next === 'subscribed') target.settle?.resolve();
  if (next === 'error' || next === 'unsubscribed')
    target.settle?.reject(error ?? new DashwireError('client_closed', 'Unsubscribed before the server confirmed'));
  if (next !== 'pending') target.settle = undefined;
  return true;
}
