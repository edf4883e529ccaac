// 0014: removed images. Images can now be removed (and brought back by undo with their ids), so:
//  - a counter: the image count and the largest id no longer say whether the set of images changed
//    (removing image 7, undoing that and removing image 9 leaves both as they were); caches keyed on
//    the image set (the similarity search's packed vectors, store/similar-reads.ts) add it to their
//    signature;
//  - the largest id ever removed: SQLite gives a new row the largest id + 1, so removing the newest
//    image would hand its id to the next import, and undo (or a deleted triplet's history, or a
//    cached thumbnail URL) would then mean another picture. insertImage (store/images.ts) numbers
//    new images above it.
// Indexes on the two image references that had none, so a deletion's cascade (and undo's snapshot)
// finds a removed image's suggestion answers and flags without scanning the tables once per image.
import type { Migration } from './index.js';

export const migration0014: Migration = {
  version: 14,
  name: 'image-changes',
  sql: `
CREATE TABLE image_changes (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  removed INTEGER NOT NULL,                -- images deleted since the project was made (any writer)
  last_id INTEGER NOT NULL                 -- the largest id of those: never given to a new image
);
INSERT INTO image_changes (id, removed, last_id) VALUES (1, 0, 0);
CREATE INDEX suggestion_answers_pair_lo ON suggestion_answers(pair_lo);
CREATE INDEX suggestion_answers_pair_hi ON suggestion_answers(pair_hi);
CREATE INDEX triplet_flags_image ON triplet_flags(image_id);
CREATE TRIGGER image_removed AFTER DELETE ON images
BEGIN
  UPDATE image_changes SET removed = removed + 1, last_id = MAX(last_id, OLD.id) WHERE id = 1;
END;
`,
};
