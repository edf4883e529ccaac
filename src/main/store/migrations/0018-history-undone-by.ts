// 0018: a step undone from the command line says so ('cli'; NULL: undone in the app, not undone, or
// undone before this version). The app's redo asks before re-applying it: the user never saw that undo.
import type { Migration } from './index.js';

export const migration0018: Migration = {
  version: 18,
  name: 'history-undone-by',
  sql: `ALTER TABLE history ADD COLUMN undone_by TEXT;`,
};
