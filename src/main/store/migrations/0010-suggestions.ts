// 0010: what the user answered to suggested triplets. A rejection is remembered so the same
// suggestion (anchor + the unordered pair) is never proposed again; an accepted one records the
// train triplet it became (origin "suggested" without rebuilding the triplets table).
import type { Migration } from './index.js';

export const migration0010: Migration = {
  version: 10,
  name: 'suggestions',
  sql: `
CREATE TABLE suggestion_answers (
  anchor_id   INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  pair_lo     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  pair_hi     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  answer      TEXT NOT NULL CHECK (answer IN ('accepted','swapped','rejected')),
  reason      TEXT,
  triplet_id  INTEGER,
  answered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (anchor_id, pair_lo, pair_hi),
  CHECK (pair_lo < pair_hi)
) WITHOUT ROWID;
`,
};
