// The names of a triplet as the app shows them. A triplet stores its names as written: an imported
// one as its file had them, so `with%20space.jpg` for the photo the Library calls `with space.jpg`
// (export gives the file back). Shown like that, one photo would have two names. A stored name
// holding `%` (an escape, or a literal `%`) is therefore shown as its image's own name, the one the
// Library shows; every other stored name is the image's name already (or its unique file name).
// The rule is written once in SQL (lists read many rows) and once over rows already read (history).
import type { Db } from './db.js';
import { imageNameReader } from './images.js';

/** SQL for a stored name column as shown, given the column with its image id. */
export function shownNameSql(nameCol: string, idCol: string): string {
  return `CASE WHEN instr(${nameCol}, '%') > 0 THEN COALESCE((SELECT name FROM images WHERE id = ${idCol}), ${nameCol}) ELSE ${nameCol} END`;
}

/** The three name columns of `triplets t` as shown, aliased anchor, positive and negative. */
export const SHOWN_NAMES = ['anchor', 'positive', 'negative'].map((role) => `${shownNameSql(`t.${role}_name`, `t.${role}_id`)} AS ${role}`).join(', ');

interface Named {
  anchor?: string;
  positive?: string;
  negative?: string;
  anchorId?: number;
  positiveId?: number;
  negativeId?: number;
}

/** A reader that gives a row (a record or a history snapshot) its names as shown (the SQL rule above). */
export function namesShown(db: Db): <T extends Named>(row: T) => T {
  const nameOf = imageNameReader(db);
  const shown = (name: string | undefined, id: number | undefined) => (name?.includes('%') && id !== undefined ? (nameOf(id) ?? name) : name);
  return (row) => {
    if (![row.anchor, row.positive, row.negative].some((n) => n?.includes('%'))) return row;
    const out = { ...row };
    if (row.anchor !== undefined) out.anchor = shown(row.anchor, row.anchorId);
    if (row.positive !== undefined) out.positive = shown(row.positive, row.positiveId);
    if (row.negative !== undefined) out.negative = shown(row.negative, row.negativeId);
    return out;
  };
}
