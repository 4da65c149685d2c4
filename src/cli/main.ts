import { run } from './run.js';

const controller = new AbortController();
let interrupted = false;
const onSignal = (): void => {
  // First Ctrl-C closes cleanly; a second one means "now".
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then(
  (code) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`dashwire: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
