// 0004: edit history as a linear undo stack, and review decisions stored per triplet.
// - group_id: rows sharing it are one undoable step (a triplet import); NULL = a step of its own.
// - discarded: an undone step abandoned by a newer edit (the redo branch); redo never brings it back.
//   Older projects could not tell an abandoned branch from a live one, so their undone rows are
//   discarded on upgrade: redo is empty rather than possibly wrong.
// - undoable = 0: a log-only entry (an image import) that undo and redo skip.
// - triplets.review: the reviewer's decision on the current labels ('keep' = the model is wrong,
//   'ambiguous'); carried over from the 0002 `kept` flag.
import type { Migration } from './index.js';

export const migration0004: Migration = {
  version: 4,
  name: 'history-steps-and-review',
  sql: `
ALTER TABLE history ADD COLUMN group_id INTEGER;
ALTER TABLE history ADD COLUMN discarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE history ADD COLUMN undoable INTEGER NOT NULL DEFAULT 1;
ALTER TABLE history ADD COLUMN note TEXT;
UPDATE history SET discarded = 1 WHERE undone = 1;
CREATE INDEX history_group ON history(group_id) WHERE group_id IS NOT NULL;
CREATE INDEX history_redo ON history(id) WHERE undone = 1 AND discarded = 0;
CREATE INDEX history_triplet ON history(triplet_id, id);
ALTER TABLE triplets ADD COLUMN review TEXT CHECK (review IN ('keep','ambiguous'));
UPDATE triplets SET review = 'keep' WHERE kept = 1;
`,
};
