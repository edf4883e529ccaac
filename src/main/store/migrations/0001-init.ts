// 0001: images, triplets (with their source files), cached features, runs, predictions, history.
import type { Migration } from './index.js';

export const migration0001: Migration = {
  version: 1,
  name: 'init',
  sql: `
CREATE TABLE images (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,      -- path relative to the imported folder, '/' separated
  basename    TEXT NOT NULL,
  folder      TEXT NOT NULL,             -- dirname of name ('' at top level)
  abs_path    TEXT NOT NULL,             -- where the file was when imported
  sha256      TEXT NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  bytes       INTEGER NOT NULL,
  mtime_ms    REAL NOT NULL,
  thumb       TEXT,                      -- thumbnail path relative to the project folder
  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX images_basename ON images(basename);
CREATE INDEX images_folder ON images(folder);

CREATE TABLE triplet_files (
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL,
  split       TEXT NOT NULL CHECK (split IN ('train','test')),
  sha256      TEXT NOT NULL,
  lines       INTEGER NOT NULL,
  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE triplets (
  id            INTEGER PRIMARY KEY,
  split         TEXT NOT NULL CHECK (split IN ('train','test')),
  anchor_id     INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  positive_id   INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  negative_id   INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  -- names exactly as written in the imported file, so export gives back the same bytes
  anchor_name   TEXT NOT NULL,
  positive_name TEXT NOT NULL,
  negative_name TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','excluded')),
  origin        TEXT NOT NULL CHECK (origin IN ('imported','manual')),
  file_id       INTEGER REFERENCES triplet_files(id) ON DELETE SET NULL,
  line          INTEGER,
  seq           INTEGER NOT NULL,          -- import / creation order within the split
  edited        INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  CHECK (anchor_id <> positive_id AND anchor_id <> negative_id AND positive_id <> negative_id)
);
-- Not unique: a research file may repeat a line, and every line must come back on export (and be
-- scored). Re-importing skips triplets already stored; creating one in the app refuses duplicates.
CREATE INDEX triplets_key ON triplets(split, anchor_id, positive_id, negative_id);
CREATE INDEX triplets_split_seq ON triplets(split, seq);
CREATE INDEX triplets_anchor ON triplets(anchor_id);
CREATE INDEX triplets_positive ON triplets(positive_id);
CREATE INDEX triplets_negative ON triplets(negative_id);

CREATE TABLE features (
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  backbone TEXT NOT NULL,
  dim      INTEGER NOT NULL,
  data     BLOB NOT NULL,                 -- float32 little-endian, dim values
  PRIMARY KEY (image_id, backbone)
) WITHOUT ROWID;

CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  status            TEXT NOT NULL CHECK (status IN ('running','finished','cancelled','failed')),
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  finished_at       TEXT,
  options           TEXT NOT NULL,         -- JSON TrainOptions
  backend           TEXT NOT NULL,
  train_count       INTEGER NOT NULL DEFAULT 0,
  val_count         INTEGER NOT NULL DEFAULT 0,
  test_count        INTEGER NOT NULL DEFAULT 0,
  best_epoch        INTEGER,
  test_accuracy     REAL,
  baseline_accuracy REAL,
  timings           TEXT NOT NULL DEFAULT '{}',
  model_dir         TEXT,                  -- relative to the project folder
  error             TEXT
);

CREATE TABLE run_epochs (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch        INTEGER NOT NULL,
  loss         REAL NOT NULL,
  val_loss     REAL NOT NULL,
  val_accuracy REAL NOT NULL,
  seconds      REAL NOT NULL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

CREATE TABLE predictions (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  triplet_id INTEGER NOT NULL REFERENCES triplets(id) ON DELETE CASCADE,
  d_ap       REAL NOT NULL,
  d_an       REAL NOT NULL,
  PRIMARY KEY (run_id, triplet_id)
) WITHOUT ROWID;

CREATE TABLE history (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  triplet_id INTEGER,                      -- not a foreign key: history outlives deleted triplets
  action     TEXT NOT NULL,
  before     TEXT,                         -- JSON row before, null for a creation
  after      TEXT,                         -- JSON row after, null for a deletion
  undone     INTEGER NOT NULL DEFAULT 0
);
`,
};
