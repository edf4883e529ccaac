// 0005: the file says it is a Triplet Studio project (PRAGMA application_id, bytes 68–71 of the
// header), so another program's SQLite file is never mistaken for one; a run records its process's
// start time next to its pid, so a reused pid is not taken for the process still training it.
import type { Migration } from './index.js';

/** 'TSt1' — Triplet Studio, store format 1. */
export const APPLICATION_ID = 0x54537431;

export const migration0005: Migration = {
  version: 5,
  name: 'application-id-and-run-process-start',
  sql: `
PRAGMA application_id = ${APPLICATION_ID};
ALTER TABLE runs ADD COLUMN pid_start TEXT;
`,
};
