// Builds the renderer once when dist/renderer is missing (the server serves it as static files).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/shared.js';

export default function globalSetup(): void {
  if (existsSync(join(repoRoot, 'dist', 'renderer', 'index.html')) && !process.env.E2E_REBUILD) return;
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Building the renderer for the e2e suite failed (npx vite build).');
}
