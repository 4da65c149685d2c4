import type { ConnectionHandlers, Transport } from '../../src/index.js';
import { isDashwireError } from '../../src/index.js';

/**
 * A transport whose frames the test injects straight into the client's handlers, as a
 * server would after the socket opened. Opens one microtask after connect (as a network
 * would), so the client has its connection object before `onOpen` runs.
 */
export function pipeTransport() {
  const open: { url: string; handlers: ConnectionHandlers; closed: boolean }[] = [];
  const sent: string[] = [];
  const transport: Transport = {
    kind: 'pipe',
    connect({ url, handlers }) {
      const entry = { url, handlers, closed: false };
      open.push(entry);
      queueMicrotask(() => {
        if (!entry.closed) handlers.onOpen();
      });
      return {
        send: (frame) => void sent.push(frame),
        close: (code = 1000, reason = '') => {
          if (entry.closed) return;
          entry.closed = true;
          queueMicrotask(() => handlers.onClose({ code, reason, wasClean: true }));
        },
      };
    },
  };
  return {
    transport,
    sent,
    connections: open,
    /** Delivers one frame on every live connection, synchronously. */
    push(frame: string): void {
      for (const c of open) if (!c.closed) c.handlers.onMessage(frame);
    },
  };
}

/**
 * Every string reachable from a value, following own properties, `cause` chains and
 * `details` (errors are objects whose message/stack/cause are not enumerable).
 */
export function reachableStrings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const out: string[] = [];
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '', String(value));
    out.push(...reachableStrings(value.cause, seen));
    if (isDashwireError(value)) out.push(...reachableStrings(value.details, seen));
  }
  for (const key of Object.getOwnPropertyNames(value)) {
    out.push(key);
    let child: unknown;
    try {
      child = (value as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    out.push(...reachableStrings(child, seen));
  }
  return out;
}

/** Prints a text histogram of values into `buckets` between min and max (for test output). */
export function histogram(values: readonly number[], buckets: number, width = 50): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const size = (max - min) / buckets || 1;
  const counts = new Array<number>(buckets).fill(0);
  for (const v of values) counts[Math.min(buckets - 1, Math.floor((v - min) / size))]! += 1;
  const top = Math.max(...counts);
  return counts
    .map((n, i) => {
      const from = Math.round(min + i * size);
      const to = Math.round(min + (i + 1) * size);
      return `${String(from).padStart(6)}–${String(to).padEnd(6)} ms ${'#'.repeat(Math.round((n / top) * width)).padEnd(width)} ${n}`;
    })
    .join('\n');
}
