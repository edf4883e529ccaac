// 0003: image identity by content and source. Every file an image was imported from is a row in
// image_paths (byte-identical files are one image with several paths); a file whose content changed
// becomes a new version of its image (old versions kept in image_versions) and the triplets using it
// are flagged in triplet_flags until the user has looked at them. Existing images keep their names.
import type { Migration } from './index.js';

export const migration0003: Migration = {
  version: 3,
  name: 'image-identity',
  sql: `
CREATE TABLE image_paths (
  id        INTEGER PRIMARY KEY,
  image_id  INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  abs_path  TEXT NOT NULL,                 -- the file on disk
  root      TEXT NOT NULL,                 -- the folder it was imported from ('' when unknown)
  rel       TEXT NOT NULL,                 -- path under root, '/' separated, NFC: an alias in triplet files
  bytes     INTEGER NOT NULL,
  mtime_ms  REAL NOT NULL,
  sha256    TEXT NOT NULL,                 -- content when last read
  added_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE (image_id, abs_path)
);
CREATE INDEX image_paths_abs ON image_paths(abs_path);
CREATE INDEX image_paths_rel ON image_paths(rel);
CREATE INDEX images_sha256 ON images(sha256);

ALTER TABLE images ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE images ADD COLUMN orientation INTEGER;   -- EXIF orientation 1..8 (null: none or unknown)

CREATE TABLE image_versions (
  image_id    INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  replaced_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (image_id, version)
) WITHOUT ROWID;

CREATE TABLE triplet_flags (
  triplet_id INTEGER NOT NULL REFERENCES triplets(id) ON DELETE CASCADE,
  image_id   INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  reason     TEXT NOT NULL,
  flagged_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (triplet_id, image_id)
) WITHOUT ROWID;

-- Existing images: their one path, with the imported folder recovered where the path ends in the name.
INSERT INTO image_paths (image_id, abs_path, root, rel, bytes, mtime_ms, sha256)
SELECT id, abs_path,
       CASE WHEN length(abs_path) > length(name) AND substr(abs_path, -length(name)) = replace(name, '/', substr(abs_path, -length(name) - 1, 1))
            THEN substr(abs_path, 1, length(abs_path) - length(name) - 1) ELSE '' END,
       name, bytes, mtime_ms, sha256
FROM images;
`,
};
