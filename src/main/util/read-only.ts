// Shared data (such as ../shared/models) is marked read-only by clearing its write bits. Running as
// root, writes there would still succeed; derived files must go to the app's own cache instead.
import { statSync } from 'node:fs';

/** True when `dir` has no write bit for anyone: treat it as read-only even when running as root. */
export function isMarkedReadOnly(dir: string): boolean {
  return (statSync(dir).mode & 0o222) === 0;
}
