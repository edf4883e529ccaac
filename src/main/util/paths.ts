// Where the app keeps per-user data (recent projects, backbone weights), per platform convention.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** TRIPLET_STUDIO_DATA overrides; otherwise the platform's per-user application data folder. */
export function appDataDir(): string {
  if (process.env.TRIPLET_STUDIO_DATA) return process.env.TRIPLET_STUDIO_DATA;
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Triplet Studio');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Triplet Studio');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'triplet-studio');
}
