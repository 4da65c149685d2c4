import type { $ZodIssue } from 'zod/v4/core';
import type { InvalidReason } from '../protocol/types.js';

// What the app learns about single messages: the facts beside a payload, the frames that were
// not delivered (`invalid`, `unknown`) and the events that may be missing (`gap`).

/** Facts about a delivered event besides its payload. @category Events */
export interface EventMeta {
  readonly type: string;
  readonly channel?: string;
  readonly seq?: number;
}

/** Payload of the `invalid` event: a frame or message that was not delivered. @category Events */
export interface InvalidMessage {
  readonly reason: InvalidReason;
  /** Human-readable detail (parse error, envelope problem, first schema issue). */
  readonly detail: string;
  /** Message type, when the envelope was readable. */
  readonly type?: string;
  readonly channel?: string;
  /** zod issues, for `reason: 'schema'`. */
  readonly issues?: readonly $ZodIssue[];
  /** The raw frame (the first 1,024 characters for oversize frames). */
  readonly raw: string;
}

/** Payload of the `unknown` event: valid envelope, type not in the catalogue. @category Events */
export interface UnknownMessage {
  readonly type: string;
  readonly channel?: string;
  readonly data: unknown;
  readonly raw: string;
}

/** A gap named by seq: events `fromSeq`…`toSeq` the server could not replay. @category Events */
export interface SeqGap {
  readonly channel: string;
  /** First missing seq. */
  readonly fromSeq: number;
  /** Last missing seq. */
  readonly toSeq: number;
  readonly from?: undefined;
  readonly to?: undefined;
}

/**
 * A gap named by time: the backend has no seq and no snapshot source, so the client cannot
 * know what it missed, only when — "may have missed events during this outage".
 * @category Events
 */
export interface TimeGap {
  readonly channel: string;
  /** When the subscription was lost. */
  readonly from: Date;
  /** When it was live again. */
  readonly to: Date;
  /**
   * No seq on this backend: an empty range (`fromSeq` 0, `toSeq` −1), so code written for seq
   * gaps (`toSeq - fromSeq + 1` missed events) keeps compiling and counts none.
   */
  readonly fromSeq: 0;
  readonly toSeq: -1;
}

/**
 * Payload of the `gap` event: events that may be missing, by seq range (servers with seq) or by
 * time range (servers without). Tell them apart with {@link isTimeGap}; `fromSeq`/`toSeq` are
 * numbers on both.
 * @category Events
 */
export type GapInfo = SeqGap | TimeGap;

/** Whether a gap is a time range (a backend without seq). @category Events */
export function isTimeGap(gap: GapInfo): gap is TimeGap {
  return gap.from instanceof Date;
}
