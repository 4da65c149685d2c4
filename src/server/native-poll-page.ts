import type { DialectHost, FeedEvent } from './dialect.js';

const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex -- the ASCII range on purpose: an ASCII string's length is its UTF-8 size.
const ascii = /^[\x00-\x7f]*$/;

/** A string's UTF-8 size in bytes. Most frames are ASCII: those are counted without encoding. */
export function utf8Bytes(text: string): number {
  return ascii.test(text) ? text.length : encoder.encode(text).length;
}

/** One channel's part of a poll response. */
export interface Page {
  readonly channel: string;
  readonly frames: string[];
  /** Last seq served (the channel's last seq when caught up, `since` when nothing fit). */
  next: number;
  recovered: boolean;
  /** Events after `next` are still to come (page limit or byte budget reached). */
  more: boolean;
  /** This page's part of the response's ETag. */
  readonly tag: string;
}

/** What one response may still hold; shared by its pages, which spend it in order. */
export interface Budget {
  events: number;
  bytes: number;
  /** Room of an empty page: an event bigger than this can never be served. */
  readonly room: number;
}

/**
 * One channel's part of a poll. Events are served in seq order while the budget lasts; an event
 * that could not fit even an empty page is skipped (`next` moves past it, so the client reports
 * it as a gap instead of asking for it forever).
 */
export function channelPage(
  host: DialectHost,
  encode: (event: FeedEvent) => string,
  channel: string,
  since: number | undefined,
  budget: Budget,
): Page {
  if (since === undefined) {
    // No cursor means "from now", as a WebSocket subscribe without `since` does.
    const next = host.replay(channel, Number.MAX_SAFE_INTEGER).lastSeq;
    return { channel, frames: [], next, recovered: true, more: false, tag: `now-${next}` };
  }
  const replay = host.replay(channel, since);
  // The cursor is part of the tag: clients keep one ETag per channel set, not per URL, and a
  // second page (same buffer, later cursor) must not be answered 304.
  const tag = `${since}:${replay.firstSeq}-${replay.lastSeq}`;
  // As on the WebSocket: no partial history. The client reports {since+1 … next} as a gap.
  if (!replay.recovered) return { channel, frames: [], next: replay.lastSeq, recovered: false, more: false, tag };
  const page: Page = { channel, frames: [], next: since, recovered: true, more: false, tag };
  let skippedLast = false;
  for (const event of replay.events) {
    const frame = encode(event);
    const size = utf8Bytes(frame) + 1; // the comma that joins it
    if (size > budget.room) {
      page.next = event.seq;
      skippedLast = true;
      continue;
    }
    if (budget.events === 0 || size > budget.bytes) {
      page.more = true;
      break;
    }
    page.frames.push(frame);
    budget.events -= 1;
    budget.bytes -= size;
    page.next = event.seq;
    skippedLast = false;
  }
  // A skipped event at the end would otherwise go unnoticed until the next one arrives.
  if (skippedLast) page.recovered = false;
  return page;
}

/** An upper bound of a body's size without its events: every channel at its largest possible entries. */
export function overheadBytes(channels: readonly string[], host: DialectHost): number {
  const names = channels.map((c) => JSON.stringify(c));
  const next = names.map((n, i) => `${n}:${host.replay(channels[i]!, Number.MAX_SAFE_INTEGER).lastSeq}`).join(',');
  const flags = names.map((n) => `${n}:false`).join(',');
  return utf8Bytes(`{"events":[],"next":{${next}},"recovered":{${flags}},"more":true}`);
}
