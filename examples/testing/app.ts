// The "app" under test in docs/testing.md: a board of critical alerts fed by dashwire.
import { createClient, type ClientOptions, type DashboardEvents, type EventPayload } from 'dashwire';

export type Alert = EventPayload<DashboardEvents, 'alert'>;

export interface AlertBoard {
  /** Critical alerts, oldest first. */
  readonly critical: readonly Alert[];
  /** Frames the client rejected (malformed, oversize, schema). */
  rejected(): number;
  state(): string;
  close(): Promise<void>;
}

/** `options` lets tests inject a WebSocket (mock-socket) or faster reconnects. */
export function createAlertBoard(
  url: string,
  options: Omit<ClientOptions<DashboardEvents>, 'url' | 'urls' | 'protocol'> = {},
): AlertBoard {
  const client = createClient({ ...options, url });
  const critical: Alert[] = [];
  client.subscribe('alerts').on('alert', (alert) => {
    if (alert.severity === 'critical') critical.push(alert);
  });
  return {
    critical,
    rejected: () => client.stats().invalid,
    state: () => client.state,
    close: () => client.close(),
  };
}
