import type { EventMeta } from './message-types.js';
import { Reports } from './reports.js';
import type { WireSubscription } from './subscriptions.js';

/** Whether a live event held during a snapshot is already covered by it (and is dropped). */
export type Covered = (type: string, data: unknown, meta: EventMeta) => boolean;

/** A validated live event waiting for its channel's work to settle. */
export interface Held {
  readonly type: string;
  readonly data: unknown;
  readonly meta: EventMeta;
  /** The subscriptions it was routed to when it arrived (channel-less events keep these). */
  readonly wires: readonly WireSubscription[] | undefined;
}

/** What the holds report to the receive path. */
export type HeldEventReports = {
  /** A channel's work all settled: deliver `queue` in order, except what one of `covers` covers. */
  release: (queue: readonly Held[], covers: readonly Covered[]) => void;
};

/** Live events held per channel while a snapshot or resync runs (see {@link createHeldEvents}). */
export interface HeldEvents extends Pick<Reports<HeldEventReports>, 'on'> {
  /** Whether the channel's live events are held now. */
  has(channel: string): boolean;
  /** The queue a live event of `channel` joins instead of being delivered; undefined when not held. */
  queue(channel: string | undefined): Held[] | undefined;
  /**
   * Holds the channel's live events until `work` settles, then releases those it does not
   * cover, in order. Works queue behind one another on a channel.
   */
  hold(channel: string, work: () => Promise<Covered | void>): void;
  /** Drops the channel's held events and queued work (nobody subscribes to it any more). */
  forget(channel: string): void;
}

/**
 * Holds a channel's live events while work that replaces its state runs (a snapshot, the app's
 * `resync`), so an event the snapshot already contains is not delivered twice and none that
 * came after it is lost.
 */
export function createHeldEvents(): HeldEvents {
  const reports = new Reports<HeldEventReports>();
  /** Channels whose live events wait for running work. */
  const held = new Map<string, Held[]>();
  /** Pending work per channel, after the one running. */
  const works = new Map<string, (() => Promise<Covered | void>)[]>();

  function hold(channel: string, work: () => Promise<Covered | void>): void {
    if (held.has(channel)) {
      const pending = works.get(channel);
      if (pending) pending.push(work);
      else works.set(channel, [work]);
      return;
    }
    const queue: Held[] = [];
    held.set(channel, queue);
    const covers: Covered[] = [];
    const run = (next: () => Promise<Covered | void>): void => {
      Promise.resolve()
        .then(next)
        .then(
          (covered) => {
            if (covered) covers.push(covered);
          },
          () => {}, // the work reports its own failures; the held events are released anyway
        )
        .then(() => {
          if (held.get(channel) !== queue) return; // forgotten meanwhile
          const more = works.get(channel)?.shift();
          if (more) return run(more);
          works.delete(channel);
          held.delete(channel);
          reports.emit('release', queue, covers);
        });
    };
    run(work);
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    has: (channel) => held.has(channel),
    queue: (channel) => (channel === undefined || held.size === 0 ? undefined : held.get(channel)),
    hold,
    forget(channel) {
      held.delete(channel);
      works.delete(channel);
    },
  };
}
