// 0002: a triplet can carry a reviewer's "the model is wrong, keep this label" decision; a run records
// the process training it, so a run left 'running' by a crashed process can be told from a live one.
import type { Migration } from './index.js';

export const migration0002: Migration = {
  version: 2,
  name: 'kept-and-run-pid',
  sql: `
ALTER TABLE triplets ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN pid INTEGER;
`,
};
