// Numbered migrations, applied in order inside one transaction each; PRAGMA user_version records the last.
import { migration0001 } from './0001-init.js';
import { migration0002 } from './0002-kept.js';
import { migration0003 } from './0003-image-identity.js';
import { migration0004 } from './0004-history.js';
import { migration0005 } from './0005-app-id.js';
import { migration0006 } from './0006-feature-cache.js';
import { migration0007 } from './0007-run-validation.js';
import { migration0008 } from './0008-feature-key-index.js';
import { migration0010 } from './0010-suggestions.js';
import { migration0011 } from './0011-map-projections.js';
import { migration0013 } from './0013-feature-rows.js';
import { migration0014 } from './0014-image-changes.js';
import { migration0015 } from './0015-file-identity.js';
import { migration0016 } from './0016-deleted-runs.js';
import { migration0017 } from './0017-history-made-by.js';
import { migration0018 } from './0018-history-undone-by.js';
import { migration0019 } from './0019-seq-high.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Sorted by version; one entry per line so parallel branches add theirs without conflicts. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0010,
  migration0011,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
];
