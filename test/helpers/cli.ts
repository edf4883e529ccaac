// Runs the real `triplet-studio` binary for end-to-end CLI tests, with its own app-data folder.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './shared.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A runner bound to an app-data folder (and extra environment); resolves with the exit code and output. */
export function cliRunner(dataDir: string, env: NodeJS.ProcessEnv = {}): (...args: string[]) => Promise<CliResult> {
  return (...args) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(repoRoot, 'bin', 'triplet-studio.js'), ...args],
        { env: { ...process.env, ...env, TRIPLET_STUDIO_DATA: dataDir, TRIPLET_STUDIO_DEBUG: '' }, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
}
