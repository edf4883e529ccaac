// Entry of the service process (bundled as dist/electron/service.cjs; started by Electron's main
// process with utilityProcess.fork, or by Node with child_process.fork). It owns the StudioService,
// the SQLite store and the ML workers; the parent only forwards validated requests.
import { DiagnosticsLog, logCrashes } from '../util/diagnostics-log.js';
import { appDataDir } from '../util/paths.js';
import { createStudioService } from './create.js';
import { parentChannel } from './port.js';
import { eventsOver, serveService } from './serve.js';

function start(): void {
  const port = parentChannel();
  if (!port) {
    console.error('The Triplet Studio service runs as a child process of the app (no parent channel).');
    process.exit(2);
  }
  const dataDir = process.env.TRIPLET_STUDIO_SERVICE_DATA || appDataDir();
  // A crash leaves its stack in the diagnostics log before the process ends (the parent restarts it).
  const log = new DiagnosticsLog(dataDir, 'service');
  logCrashes(log);
  const service = createStudioService({ dataDir, emit: eventsOver(port) });
  // Once disposed (store closed, jobs stopped), leave: the parent does not need to kill us.
  serveService(port, service, () => setImmediate(() => process.exit(0)), log);
}

start();
