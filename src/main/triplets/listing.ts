// Triplets as the CLI shows them: names as in triplet files, plus the file and line each came from.
import type { Split, TripletStatus } from '../../shared/types.js';
import type { Db } from '../store/db.js';

export interface TripletLine {
  id: number;
  split: Split;
  anchor: string;
  positive: string;
  negative: string;
  status: TripletStatus;
  /** The triplet file it was imported from (absolute path as imported); null when made by hand. */
  file: string | null;
  /** 1-based line in that file; null when made by hand. */
  line: number | null;
}

const SELECT = `SELECT t.id, t.split, t.anchor_name AS anchor, t.positive_name AS positive, t.negative_name AS negative, t.status,
  f.path AS file, t.line FROM triplets t LEFT JOIN triplet_files f ON f.id = t.file_id`;

/** Every triplet (of one split), train before test, each in import order. */
export function tripletLines(db: Db, split?: Split): TripletLine[] {
  const where = split ? 'WHERE t.split = ?' : '';
  return db.prepare(`${SELECT} ${where} ORDER BY t.split DESC, t.seq`).all(...(split ? [split] : [])) as TripletLine[];
}

export function tripletLine(db: Db, id: number): TripletLine | null {
  return (db.prepare(`${SELECT} WHERE t.id = ?`).get(id) as TripletLine | undefined) ?? null;
}
