// The one service entry every host runs: browser mode calls it in-process, the service process
// (./main.ts: Electron's utilityProcess, or a Node child) calls it in its own process.
import { StudioService } from '../project/service.js';
import type { EmitFn, HostedService } from './hosted.js';

export function createStudioService(opts: { dataDir: string; emit: EmitFn }): HostedService {
  const service = new StudioService(opts);
  // The app reopens the project the user had open last (reopenNotice says why when it cannot).
  service.reopenLast();
  return service as unknown as HostedService;
}
