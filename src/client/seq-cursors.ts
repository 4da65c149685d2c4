import { Reports } from './reports.js';
import type { SeqGap } from './message-types.js';
import type { SubscriptionRegistry } from './subscriptions.js';

/** What the cursors report to the receive path. */
export type SeqCursorReports = {
  /** Seqs that will never arrive: skipped by the stream, or not replayable after a resume. */
  gap: (gap: SeqGap) => void;
};

/** What the cursors are made with. */
export interface SeqCursorOptions {
  /** Whether the protocol numbers events per channel (without it every cursor method is a no-op). */
  readonly resumable: boolean;
  /** Only channels someone subscribes to have a cursor. */
  readonly registry: Pick<SubscriptionRegistry, 'hasChannel'>;
  /** Cursors to start from, per channel (`ClientOptions.resume`). */
  readonly resume?: Readonly<Record<string, number>> | undefined;
}

/** Per-channel seq cursors (see {@link createSeqCursors}). */
export interface SeqCursors extends Pick<Reports<SeqCursorReports>, 'on'> {
  /**
   * Consumes an event's seq; false for a duplicate (already consumed). Reports `gap` for the
   * seqs skipped before it, before returning.
   */
  consume(channel: string | undefined, seq: number | undefined): boolean;
  /**
   * A subscribe ack's channel position: it starts the cursor of a fresh channel; on a resumed
   * one, `recovered: false` means the server cannot replay up to it.
   */
  acked(channel: string, seq: number, recovered: boolean | undefined): void;
  /** A snapshot covers the channel up to `seq`: the cursor moves there, never back. */
  advance(channel: string, seq: number): void;
  /** The channel's cursor: last seq consumed, sent as `since`. */
  since(channel: string): number | undefined;
  /** Forgets a channel nobody subscribes to any more (a later subscribe starts fresh). */
  forget(channel: string): void;
}

/**
 * The seq cursors of a resumable protocol (NATIVE-1.1 §4): every event frame of a subscribed
 * channel consumes its seq, delivered or rejected, before validation or the catalogue lookup,
 * because the seq stream is the server's, not the catalogue's. A cursor tells duplicates
 * (replayed after a resume) from gaps (seqs that never came).
 */
export function createSeqCursors(options: SeqCursorOptions): SeqCursors {
  const { resumable, registry } = options;
  const reports = new Reports<SeqCursorReports>();
  const lastSeq = new Map<string, number>(Object.entries(options.resume ?? {}));
  const tracked = (channel: string): boolean => resumable && registry.hasChannel(channel);

  /**
   * The server cannot replay up to `toSeq` (an ack with `recovered: false` and the channel's
   * position): report the gap now, rather than wait for the next live event, which on a quiet
   * channel may be minutes away while the app shows stale data.
   */
  function missed(channel: string, toSeq: number): void {
    const last = lastSeq.get(channel);
    if (last === undefined || toSeq === last) return;
    lastSeq.set(channel, toSeq);
    if (toSeq > last) return reports.emit('gap', { channel, fromSeq: last + 1, toSeq });
    // Behind our cursor: the server's history restarted (state lost, seqs from 1 again). Adopt
    // its position, or every new event would be dropped as a duplicate of an old seq; all of
    // its new history so far is unknown to us.
    if (toSeq >= 1) reports.emit('gap', { channel, fromSeq: 1, toSeq });
  }

  return {
    on: (name, listener) => reports.on(name, listener),
    consume(channel, seq) {
      if (channel === undefined || seq === undefined || !tracked(channel)) return true;
      const last = lastSeq.get(channel);
      if (last !== undefined && seq <= last) return false;
      lastSeq.set(channel, seq);
      if (last !== undefined && seq > last + 1) reports.emit('gap', { channel, fromSeq: last + 1, toSeq: seq - 1 });
      return true;
    },
    acked(channel, seq, recovered) {
      if (!tracked(channel)) return;
      if (!lastSeq.has(channel)) lastSeq.set(channel, seq);
      else if (recovered === false) missed(channel, seq);
    },
    advance(channel, seq) {
      if (tracked(channel)) lastSeq.set(channel, Math.max(seq, lastSeq.get(channel) ?? 0));
    },
    since: (channel) => lastSeq.get(channel),
    forget: (channel) => void lastSeq.delete(channel),
  };
}
