// 0016: runs the user deleted leave their number behind, so a later run never takes it ("run #3" in
// an export's name, a note or an old screenshot always means one model), and a model folder a crash
// left after its run's deletion is known as junk.
import type { Migration } from './index.js';

export const migration0016: Migration = {
  version: 16,
  name: 'deleted-runs',
  sql: `
CREATE TABLE deleted_runs (
  id          INTEGER PRIMARY KEY,
  deleted_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
`,
};
