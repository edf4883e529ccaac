// Imports a triplet file into one split. Names resolve to an image's relative path or, when unique, its
// basename. By default a file with any problem is refused as a whole (store untouched); with
// skipInvalid the good lines are imported and the problems reported.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { Split, TripletFileIssue, TripletImportReport } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { NameResolver } from '../images/names.js';
import { formatIssue, parseTriplets, type ParsedLine } from './parse.js';
import { nextSeq, nextTripletId } from './ids.js';

interface Resolved extends ParsedLine {
  anchorId: number;
  positiveId: number;
  negativeId: number;
}

export interface ImportTripletsOptions {
  skipInvalid?: boolean;
}

export function importTriplets(db: Db, file: string, split: Split, opts: ImportTripletsOptions = {}): TripletImportReport {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new AppError('NOT_FOUND', `Triplet file not found: ${path}`);
  const bytes = readFileSync(path);
  const parsed = parseTriplets(bytes.toString('utf8'), path);
  const issues: TripletFileIssue[] = [...parsed.issues];
  const resolver = new NameResolver(db);
  const resolved: Resolved[] = [];
  for (const t of parsed.triplets) {
    const r = resolveLine(resolver, t, path);
    if ('issue' in r) issues.push(r.issue);
    else resolved.push(r);
  }
  issues.sort((a, b) => a.line - b.line);
  const report: TripletImportReport = { file: path, split, lines: parsed.lines, added: 0, duplicates: 0, invalid: issues, refused: false };
  if (issues.length && !opts.skipInvalid) {
    report.refused = true;
    throw new AppError('INVALID_FILE', refusalMessage(path, issues), { issues, report });
  }
  writeTriplets(db, path, bytes, split, parsed.lines, resolved, report);
  return report;
}

function resolveLine(resolver: NameResolver, t: ParsedLine, file: string): Resolved | { issue: TripletFileIssue } {
  const errors: string[] = [];
  const ids = [t.anchor, t.positive, t.negative].map((name) => {
    const r = resolver.resolve(name);
    if ('error' in r) errors.push(r.error);
    return 'id' in r ? r.id : 0;
  });
  const text = `${t.anchor} ${t.positive} ${t.negative}`;
  if (errors.length) return { issue: { file, line: t.line, text, message: errors.join('; ') } };
  const [anchorId, positiveId, negativeId] = ids;
  if (anchorId === positiveId || anchorId === negativeId || positiveId === negativeId) {
    return { issue: { file, line: t.line, text, message: 'the same image is used twice in one triplet' } };
  }
  return { ...t, anchorId, positiveId, negativeId };
}

function refusalMessage(file: string, issues: TripletFileIssue[]): string {
  const head = `${file}: ${issues.length} invalid line${issues.length === 1 ? '' : 's'}; nothing imported (use --skip-invalid to import the valid lines)`;
  return [head, ...issues.map(formatIssue)].join('\n');
}

/** Adds the file record and its new triplets in one transaction; triplets already stored count as duplicates. */
function writeTriplets(db: Db, path: string, bytes: Buffer, split: Split, lines: number, rows: Resolved[], report: TripletImportReport): void {
  const exists = db.prepare('SELECT 1 FROM triplets WHERE split = ? AND anchor_id = ? AND positive_id = ? AND negative_id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, file_id, line, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 'imported', ?, ?, ?)`,
  );
  db.transaction(() => {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const fileId = db.prepare('INSERT INTO triplet_files (path, split, sha256, lines) VALUES (?, ?, ?, ?)').run(path, split, sha, lines).lastInsertRowid;
    let id = nextTripletId(db);
    let seq = nextSeq(db, split);
    // Only triplets stored before this import count as duplicates: a line repeated inside the file
    // is kept, so the file comes back byte for byte and every line is scored.
    const present = rows.map((r) => !!exists.get(split, r.anchorId, r.positiveId, r.negativeId));
    for (const [i, r] of rows.entries()) {
      if (present[i]) {
        report.duplicates++;
        continue;
      }
      insert.run(id++, split, r.anchorId, r.positiveId, r.negativeId, r.anchor, r.positive, r.negative, fileId, r.line, seq++);
      report.added++;
    }
  })();
}
