// 0011: the embedding map's cache: one 2-D projection per (source, method), with the fingerprint of
// the images it covers (ids and contents), so any import, re-import or removal invalidates it.
import type { Migration } from './index.js';

export const migration0011: Migration = {
  version: 11,
  name: 'map-projections',
  sql: `
CREATE TABLE map_projections (
  source      TEXT NOT NULL,             -- 'run:<id>' or 'features:<backbone>:<weights>:<preprocessing>'
  method      TEXT NOT NULL,             -- 'pca' | 'umap' (with its parameters)
  fingerprint TEXT NOT NULL,             -- sha256 of the (image id, content sha256) list projected
  ids         BLOB NOT NULL,             -- int32 little-endian image ids
  xy          BLOB NOT NULL,             -- float32 little-endian x, y per id
  seconds     REAL NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  PRIMARY KEY (source, method)
) WITHOUT ROWID;
`,
};
