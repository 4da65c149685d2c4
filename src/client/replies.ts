import { DashwireError } from '../errors.js';
import type { Inbound } from '../protocol/types.js';
import type { SafeEmitter } from './emitter.js';
import type { SeqCursors } from './seq-cursors.js';
import type { SubscriptionRegistry } from './subscriptions.js';

// The server's replies to subscribe frames: an ack confirms a subscription (and positions its
// channel's cursor), an error frame refuses one.

/** An ack: the subscription it answers is subscribed; its seq positions the channel's cursor. */
export function confirm(
  item: Extract<Inbound, { kind: 'ack' }>,
  registry: SubscriptionRegistry,
  cursors: SeqCursors,
): void {
  const { channel, seq } = item;
  if (channel !== undefined && seq !== undefined) cursors.acked(channel, seq, item.recovered);
  registry.takePending(item.id, channel)?.setState('subscribed');
}

/**
 * A server error frame: the subscription it answers (by id) is refused, and the app hears of it
 * on `error`. `polled`: the items came over polling, which confirms subscriptions at open, so an
 * error naming only a channel refuses that channel's subscriptions.
 */
export function refuse(
  item: Extract<Inbound, { kind: 'error' }>,
  polled: boolean,
  registry: SubscriptionRegistry,
  emitter: SafeEmitter,
): void {
  const { code, channel, id, message } = item;
  const details = { code, channel, id };
  const wire = registry.takePending(id, channel);
  const refused = wire
    ? [wire]
    : id === undefined && channel !== undefined && polled
      ? (registry.forChannel(channel) ?? [])
      : [];
  for (const w of refused)
    w.setState(
      'error',
      new DashwireError('subscribe_failed', message || `Subscription to "${w.channel}" refused`, { details }),
    );
  emitter.emit('error', new DashwireError('server_error', message || code, { details }));
}
