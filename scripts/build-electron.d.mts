// Types for scripts/build-electron.mjs (imported by tests).
export function findWorkers(): Record<string, string>;
export function findEngineModules(): Record<string, string>;
export function buildElectron(options?: {
  log?: (msg: string) => void;
  out?: string;
  extraEntries?: Record<string, string>;
}): Promise<{ out: string; workers: string[]; engines: string[] }>;
