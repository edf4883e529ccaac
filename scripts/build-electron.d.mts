// Types for scripts/build-electron.mjs (imported by tests).
export function findWorkers(): Record<string, string>;
export function findEngineModules(): Record<string, string>;
export function buildElectron(options?: {
  log?: (msg: string) => void;
  out?: string;
  extraEntries?: Record<string, string>;
}): Promise<{ out: string; workers: string[]; engines: string[] }>;
import type { Metafile } from 'esbuild';
export const HEAVY_IN_MAIN: RegExp[];
export const SERVICE_ONLY_SOURCES: RegExp[];
export function reachable(metafile: Metafile, outputName: string): { sources: string[]; packages: string[] };
export function heavyInMain(metafile: Metafile): string[];
export function entryGraph(entries: Record<string, string>): Promise<Metafile>;
