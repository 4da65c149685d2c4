import type { HttpRequest, PollPlan } from '../transport/types.js';
import type { Inbound, PollChannel, PollingSpec, PollLimits, PollPage, PollRequest } from './types.js';

/**
 * The protocol side of one polling connection: which requests a round makes (without the
 * channels the server refused), what each body means (with snapshot de-duplication), and
 * whether to page on at once. The polling transport only fetches and hands bodies up.
 * @category Fallback
 */
export interface PollCodec {
  /** The next round's requests for the channels subscribed now. */
  plan(channels: readonly PollChannel[]): PollPlan;
  /** One response body → items; `key` names the request it answers. */
  decode(body: string, key: string | undefined): Inbound[];
}

/** A decoded body as a page, whichever shape the spec returned. */
function asPage(decoded: Inbound[] | PollPage): PollPage {
  return Array.isArray(decoded) ? { items: decoded } : decoded;
}

/** A fresh codec per polling connection: refusals, snapshots seen and paging are per connection. @category Fallback */
export function createPollCodec(spec: PollingSpec, baseUrl: string, limits: PollLimits): PollCodec {
  const requests = new Map<string, PollRequest>();
  /** Snapshot content keys emitted per request (for specs with `dedupeKey`). */
  const seen = new Map<string, Set<string>>();
  /** Channels the server refused (per-channel error); forgotten when the app drops the channel. */
  const refused = new Set<string>();
  let more = false;
  let lastUrls = '';

  /** Drops snapshot items already emitted for this request. */
  function fresh(request: PollRequest, items: Inbound[]): Inbound[] {
    if (!spec.dedupeKey) return items;
    const before = seen.get(request.key) ?? new Set<string>();
    const now = new Set<string>();
    const out: Inbound[] = [];
    for (const item of items) {
      if (item.kind !== 'event') {
        out.push(item);
        continue;
      }
      const key = spec.dedupeKey(item);
      now.add(key);
      if (!before.has(key)) out.push(item);
    }
    seen.set(request.key, now);
    return out;
  }

  return {
    plan(channels) {
      for (const channel of refused) if (!channels.some((c) => c.channel === channel)) refused.delete(channel);
      const round = spec.requests(
        baseUrl,
        channels.filter((c) => !refused.has(c.channel)),
        limits,
      );
      requests.clear();
      for (const request of round) requests.set(request.key, request);
      const urls = round.map((r) => r.url).join('\n');
      // A backlog comes in pages: the next one now, but only if the cursors moved (a client that
      // could not take the page must not spin on the same request).
      const immediate = more && urls !== lastUrls;
      more = false;
      lastUrls = urls;
      const out: HttpRequest[] = round.map(({ key, url }) => ({ key, url }));
      return { requests: out, immediate };
    },
    decode(body, key) {
      const request = key === undefined ? undefined : requests.get(key);
      if (!request) return [];
      const page = asPage(spec.decode(body, request));
      for (const item of page.items) if (item.kind === 'error' && item.channel !== undefined) refused.add(item.channel);
      more ||= page.more === true;
      return fresh(request, page.items);
    },
  };
}
