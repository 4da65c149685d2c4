import { expect } from 'vitest';
import { createClient, type Client, type ConnectionState, type EventCatalog, type Protocol } from '../../src/index.js';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';
import { waitFor } from '../helpers/wait.js';

/** A real mock server over ws on 127.0.0.1:0 and a real client, with the bookkeeping conformance tests share. */
export async function pair<E extends EventCatalog>(
  dialect: string,
  protocol: Protocol<E>,
  url?: (server: MockServer) => string,
) {
  const server = await createMockServer({ protocol: dialect, port: 0 });
  const client = createClient({
    url: url ? url(server) : server.url,
    protocol,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    heartbeat: { intervalMs: 100, timeoutMs: 2_000 },
  }) as Client<EventCatalog>;
  const states: ConnectionState[] = [];
  const seen = new Map<string, unknown>();
  const invalid: unknown[] = [];
  const unknown: string[] = [];
  client.on('state', (c) => states.push(c.current));
  client.on('invalid', (m) => invalid.push(m));
  client.on('unknown', (m) => unknown.push(m.type));
  for (const type of Object.keys(protocol.events)) client.on(type, (m: unknown) => seen.set(type, m));
  return {
    server,
    client,
    states,
    seen,
    invalid,
    unknown,
    /** Client frames the server logged, parsed. */
    frames: () => server.received.map((r) => r.json),
    async everyType(types: readonly string[] = Object.keys(protocol.events)) {
      await waitFor(() => types.every((t) => seen.has(t)), 5_000);
      expect(invalid).toEqual([]);
    },
    async reconnects() {
      await waitFor(() => client.state === 'open');
      const before = server.listClients().length;
      server.faults.dropAll();
      await waitFor(() => states.includes('reconnecting'));
      await waitFor(() => client.state === 'open' && server.listClients().length === before, 5_000);
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}
