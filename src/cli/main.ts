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

// `dashwire tail --json | head -3`: the reader closed the pipe because it has read enough. That is
// a normal end, not a crash: exit 0 at once, silently (nothing more can be printed anyway).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`dashwire: cannot write to stdout: ${error.message}\n`);
  process.exit(2);
});

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
