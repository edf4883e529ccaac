// Entry point of the `triplet-studio` CLI (bin/triplet-studio.js loads this through tsx).
import { reportError } from './output.js';
import { main } from './program.js';

main().catch((err: unknown) => {
  reportError(err, process.argv.includes('--json'));
  process.exitCode = 1;
});
