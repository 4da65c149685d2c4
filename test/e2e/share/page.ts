/**
 * The page of share.e2e.test.ts: `window.dw.start(…)` makes a `share: tabs()` client and
 * records what this tab receives. Bundled by esbuild from the source, next to the worker
 * entry (worker.ts) — the esbuild recipe of docs/sharing.md.
 */
import { createClient, tabs, type Client, type DashboardEvents } from '../../../src/index.js';

interface StartOptions {
  readonly url: string;
  readonly worker: boolean;
  readonly identity?: string;
  readonly channels: readonly string[];
}

let client: Client<DashboardEvents> | undefined;
const seqs: Record<string, number[]> = {};
const states: string[] = [];

const dw = {
  start(options: StartOptions): void {
    client = createClient({
      url: options.url,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      share: tabs({
        identity: options.identity,
        worker: options.worker
          ? () => new SharedWorker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'dashwire' })
          : undefined,
      }),
    });
    client.on('state', (change) => states.push(change.current));
    for (const channel of options.channels) {
      seqs[channel] = [];
      client.subscribe(channel).on('price_update', (_tick, meta) => seqs[channel]!.push(meta.seq!));
    }
  },
  seqs: () => seqs,
  states: () => states,
  state: () => client?.state,
  share: () => client?.stats().share,
  close: () => client?.close(),
};

(globalThis as { dw?: typeof dw }).dw = dw;
