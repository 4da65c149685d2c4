/**
 * The shared worker of share.e2e.test.ts: dashwire's own entry, plus a test hook — a port
 * that posts `die` ends the worker (`close()`), as a crash or the browser would.
 *
 * Re-exported, not `import '…'`: the package says `"sideEffects": false`, so a bare import
 * of the entry is dropped by bundlers. An app points `new SharedWorker` at the entry itself.
 */
export { builtInProtocols } from '../../../src/shared-worker.js';

const scope = globalThis as unknown as {
  addEventListener(type: 'connect', listener: (event: MessageEvent) => void): void;
  close(): void;
};
scope.addEventListener('connect', (event) => {
  event.ports[0]?.addEventListener('message', (message: MessageEvent) => {
    if ((message.data as { t?: string } | null)?.t === 'die') scope.close();
  });
});
