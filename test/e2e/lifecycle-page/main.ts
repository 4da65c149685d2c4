/**
 * The page of lifecycle.e2e.test.ts: a native client subscribed to `prices`, exposing what a
 * dashboard would show (state, every delivered seq, freshness) on `window.dashwireProbe`.
 * Bundled by the test with esbuild against dist/index.js.
 */
import { createClient } from 'dashwire';

const ws = new URLSearchParams(window.location.search).get('ws') ?? '';
const client = createClient({ url: ws, reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 }, staleAfterMs: 2_000 });
const seqs: number[] = [];
const states: string[] = [];
client.on('state', (s) => states.push(s.current));
client.subscribe('prices').on('price_update', (_tick, meta) => seqs.push(meta.seq!));
(window as unknown as { dashwireProbe: unknown }).dashwireProbe = {
  seqs,
  states,
  state: () => client.state,
  stale: () => client.freshness('price_update').stale,
};
