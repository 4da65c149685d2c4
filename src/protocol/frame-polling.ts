import { contentKey } from './content-key.js';
import { isRecord, parseJson, stableStringify } from './json.js';
import type { Inbound, PollingSpec, Protocol, SubscriptionParams } from './types.js';

/** Where to poll a channel: a URL per channel (and params). @category Fallback */
export type PollUrlFor = (channel: string, params: SubscriptionParams) => string;

/**
 * REST polling for any protocol: one GET per channel to `urlFor(channel, params)` (default
 * `<base>/poll/<channel>`, which the mock server serves for every dialect), answered with one
 * frame or a JSON array of frames in the server's own WebSocket shape. The protocol's `decode`
 * reads them, and since such endpoints return snapshots, an event already seen in the previous
 * answer (same type and same data) is not emitted again.
 * @category Fallback
 */
export function framePolling(protocol: Protocol, intervalMs: number, urlFor?: PollUrlFor): PollingSpec {
  return {
    intervalMs,
    requests: (baseUrl, channels) =>
      channels.map(({ channel, params }) => ({
        key: `${channel}\u0000${stableStringify(params)}`,
        url: urlFor ? urlFor(channel, params) : `${baseUrl.replace(/\/+$/, '')}/poll/${encodeURIComponent(channel)}`,
        channels: [channel],
      })),
    decode: (body) => {
      const parsed = parseJson(body);
      if (parsed === undefined) return [{ kind: 'malformed', detail: 'poll response is not JSON' }];
      const frames = Array.isArray(parsed) ? parsed : [parsed];
      const items: Inbound[] = [];
      for (const frame of frames) {
        if (!isRecord(frame) && !Array.isArray(frame)) {
          items.push({ kind: 'malformed', detail: 'poll response item is not a frame object' });
          continue;
        }
        items.push(...protocol.decode(JSON.stringify(frame)));
      }
      return items;
    },
    dedupeKey: (event) => contentKey(event.type, event.data),
  };
}
