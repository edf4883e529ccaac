// Entry point of the `triplet-studio` CLI (bin/triplet-studio.js loads this through tsx).
import { reportError } from './output.js';
import { main } from './program.js';

// `triplets DIR --json | head`: the reader closed the pipe before the end. The command's work is
// done; only the rest of its printout has nowhere to go, so it stops quietly (as Unix tools do)
// instead of crashing with an unhandled EPIPE and a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main().catch((err: unknown) => {
  reportError(err, process.argv.includes('--json'));
  process.exitCode = 1;
});
