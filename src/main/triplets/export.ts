// Writes a split's active triplets back in the research format: import order, names as written,
// one space between names, '\n' after every line. Excluded triplets are left out (the export is
// what the model trains or is tested on), so a clean imported file comes back byte for byte.
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Split } from '../../shared/types.js';
import type { Db } from '../store/db.js';

export function exportTriplets(db: Db, split: Split, file: string): { file: string; count: number } {
  const rows = db
    .prepare(`SELECT anchor_name, positive_name, negative_name FROM triplets WHERE split = ? AND status = 'active' ORDER BY seq`)
    .all(split) as { anchor_name: string; positive_name: string; negative_name: string }[];
  const text = rows.map((r) => `${r.anchor_name} ${r.positive_name} ${r.negative_name}\n`).join('');
  const path = resolve(file);
  // Write then rename so an interrupted export never leaves a half-written file in place.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, path);
  return { file: path, count: rows.length };
}
