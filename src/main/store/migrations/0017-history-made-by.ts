// 0017: a step written from the command line says so ('cli'; NULL: the app, or a step from before
// this version). The app's Ctrl+Z asks before undoing one: the user may never have seen that change.
import type { Migration } from './index.js';

export const migration0017: Migration = {
  version: 17,
  name: 'history-made-by',
  sql: `ALTER TABLE history ADD COLUMN made_by TEXT;`,
};
