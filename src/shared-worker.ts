/**
 * The worker entry of `share: 'tabs'` (`dashwire/shared-worker`): serves the native protocol
 * and the five presets by name. Start it from the app with
 * `new SharedWorker(new URL('dashwire/shared-worker', import.meta.url), { type: 'module' })`
 * (see docs/sharing.md for Vite and esbuild); for a protocol of your own, write a worker
 * file that calls `createSharedWorkerHost`.
 * @module dashwire/shared-worker
 */
import { presets } from './backends/presets.js';
import { native } from './protocol/native.js';
import { createSharedWorkerHost, type ProtocolFactory } from './share/worker-host.js';

/** The protocols this entry builds, by the name tabs send. @category Sharing */
export const builtInProtocols: Readonly<Record<string, ProtocolFactory>> = {
  native: native,
  // Every backend of the one registry, so a new backend is served without touching this file.
  ...(presets as Readonly<Record<string, ProtocolFactory>>),
};

// Only where a SharedWorker runs this file: importing it elsewhere (types, tests) does nothing.
if (
  typeof (globalThis as { onconnect?: unknown }).onconnect !== 'undefined' ||
  'SharedWorkerGlobalScope' in globalThis
) {
  createSharedWorkerHost({ protocols: builtInProtocols });
}
