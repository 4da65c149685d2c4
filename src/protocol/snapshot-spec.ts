import type { PollingSpec, SnapshotSpec } from './types.js';

/**
 * A REST polling spec whose endpoints return the current state (it has `dedupeKey`, e.g. the
 * Sentio backend's `/api/<channel>`) serves as a snapshot source too: the same data, one GET.
 * @category Protocol
 */
export function snapshotFromPolling(polling: PollingSpec | undefined): SnapshotSpec | undefined {
  if (!polling?.dedupeKey) return undefined;
  return {
    url: (baseUrl, channel, params) => polling.requests(baseUrl, [{ channel, params }])[0]?.url ?? baseUrl,
    decode(body, channel) {
      const decoded = polling.decode(body, { key: channel, url: '', channels: [channel] });
      const items = Array.isArray(decoded) ? decoded : decoded.items;
      if (items.some((item) => item.kind === 'malformed')) return undefined;
      return { items: items.flatMap((item) => (item.kind === 'event' ? [{ type: item.type, data: item.data }] : [])) };
    },
  };
}
