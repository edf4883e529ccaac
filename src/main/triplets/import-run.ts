// One triplet-file import, streamed: lines are read in batches from the file (never the whole file as
// one string), resolved, classified against the store and written inside ONE transaction, so the
// whole file is one atomic step: a refused or cancelled import leaves the store unchanged.
// Runs in whatever thread calls it; the app and the CLI call it in a worker (import.ts), so the
// thread that answers requests never blocks on a big file.
//
// Outcome of each line:
//   - invalid (malformed, unknown or ambiguous name, bad escape, same image twice, a `#` line that
//     names an image, a contradiction inside the file): the file is refused unless skipInvalid;
//   - leakage (same triplet in the other split, or all three images used there): refused unless
//     allowLeakage (imported) or skipInvalid (skipped);
//   - conflict (repeats a stored triplet, or one the user swapped, excluded, deleted or moved, or
//     contradicts one): not added, reported; never refuses the file;
//   - otherwise added. A line repeated inside the file is added again (research files do that).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { Split, TripletConflict, TripletFileIssue, TripletImportReport, TripletLeakLine } from '../../shared/types.js';
import type { Db } from '../store/db.js';
import { imageIdByNameReader } from '../store/images.js';
import { boundByFileReader } from '../store/triplet-reads.js';
import { finishTripletFile, importedTripletInserter, insertTripletFile } from '../store/triplet-rows.js';
import { Classifier, type Verdict } from './classify.js';
import { encodeName } from './escape.js';
import { nextSeq, nextTripletId } from './ids.js';
import { NameResolver } from '../images/names.js';
import { lastTripletId, recordImportStep } from './history.js';
import { readLines, type LineEvent } from './lines.js';
import { clip, parseLine, type ParsedLine } from './parse.js';
import { Capped, refusalMessage } from './report.js';
import { assertTextFile } from './text-file.js';

export interface TripletImportOptions {
  skipInvalid?: boolean;
  allowLeakage?: boolean;
}

export interface ImportHooks {
  /** Checked between batches; when aborted the import stops (rolled back) with an AbortError. */
  signal?: AbortSignal;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

/** The size of a triplet file; a missing path, a folder or a device (/dev/zero never ends) is refused by name. */
function tripletFileSize(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new AppError('NOT_FOUND', `Triplet file not found: ${path}`);
  if (st.isDirectory()) throw new AppError('BAD_ARGUMENTS', `${path} is a folder, not a triplet file.`);
  if (!st.isFile()) throw new AppError('BAD_ARGUMENTS', `${path} is not a regular file (a device or a pipe), so it cannot be a triplet file.`);
  return st.size;
}

export async function runTripletImport(db: Db, file: string, split: Split, opts: TripletImportOptions = {}, hooks: ImportHooks = {}): Promise<TripletImportReport> {
  const path = resolve(file);
  const total = tripletFileSize(path);
  await assertTextFile(path);
  // IMMEDIATE: take the write lock now, so ids and seq values cannot be taken by another writer.
  db.exec('BEGIN IMMEDIATE');
  try {
    const fromId = lastTripletId(db);
    const run = new ImportRun(db, path, split, opts);
    const read = await readLines(
      path,
      async (batch) => {
        // Let queued messages (a cancel) in, then check.
        await new Promise((r) => setImmediate(r));
        hooks.signal?.throwIfAborted();
        run.batch(batch);
      },
      { onBytes: (done) => hooks.onProgress?.({ phase: 'importing', done, total }) },
    );
    hooks.signal?.throwIfAborted();
    // Nothing to import is said, not reported as "0 triplets added" (a wrong file, or an empty one).
    if (run.holdsNothing()) throw new AppError('INVALID_FILE', `${path} holds no triplet lines (it is empty, or only blank and comment lines); nothing was imported.`, { path });
    const report = run.finish(read.lines, read.sha256);
    if (report.refused) throw new AppError('INVALID_FILE', refusalMessage(report), { report });
    hooks.onProgress?.({ phase: 'committing', done: total, total });
    // The whole import is one undoable step (undo removes every triplet it added).
    recordImportStep(db, fromId, 'import', `${path} → ${split}`);
    db.exec('COMMIT');
    return report;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * Why a line names one image twice. Two different names can be one image: identical copies are
 * imported as one image with several paths, which the user may not know.
 */
function sameImageMessage(names: string[], ids: number[]): string {
  for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
    if (ids[i] === ids[j] && names[i] !== names[j]) {
      return `the same image is used twice in one triplet: "${names[i]}" and "${names[j]}" both name it (a unique file name stands for its image, and identical copies are imported as one image)`;
    }
  }
  return 'the same image is used twice in one triplet';
}

class ImportRun {
  private readonly resolver: NameResolver;
  private readonly classifier: Classifier;
  private readonly fileId: number;
  private readonly insert;
  private readonly exactName;
  private readonly boundByFile;
  private nextId: number;
  private nextSeq: number;
  private readonly invalid = new Capped<TripletFileIssue>();
  private readonly conflicts = new Capped<TripletConflict>();
  private readonly leaks = new Capped<TripletLeakLine>();
  private added = 0;
  private duplicates = 0;
  private repeatedInFile = 0;
  /** Lines that hold (or try to hold) a triplet: not blank, not a comment. */
  private tripletLines = 0;

  constructor(
    private readonly db: Db,
    private readonly path: string,
    private readonly split: Split,
    private readonly opts: TripletImportOptions,
  ) {
    this.resolver = new NameResolver(db);
    this.fileId = insertTripletFile(db, path, split);
    this.nextId = nextTripletId(db);
    this.nextSeq = nextSeq(db, split);
    this.classifier = new Classifier(db, split, this.nextId, path);
    this.insert = importedTripletInserter(db);
    this.exactName = imageIdByNameReader(db);
    this.boundByFile = boundByFileReader(db);
  }

  /** No triplet line and no problem (a comment naming an image is one): the file has nothing to import. */
  holdsNothing(): boolean {
    return this.tripletLines === 0 && this.invalid.count === 0;
  }

  batch(lines: LineEvent[]): void {
    for (const ev of lines) this.line(ev);
  }

  private line(ev: LineEvent): void {
    if (ev.text === null) return this.issue(ev.line, '', `line too long (${ev.tooLong} bytes; at most 64 KiB)`);
    const parsed = parseLine(ev.text, ev.line, this.path);
    if (parsed.kind === 'skip') return;
    if (parsed.kind !== 'comment') this.tripletLines++;
    if (parsed.kind === 'issue') return void this.invalid.push(parsed.issue);
    if (parsed.kind === 'comment') return this.checkComment(ev.line, ev.text, parsed.fields);
    const t = parsed.triplet;
    const ids = this.resolveAll(t);
    if ('error' in ids) return this.issue(t.line, ev.text, ids.error);
    const [anchorId, positiveId, negativeId] = ids.ids;
    if (anchorId === positiveId || anchorId === negativeId || positiveId === negativeId) {
      return this.issue(t.line, ev.text, sameImageMessage(t.names, ids.ids));
    }
    const verdict = this.classifier.classify({ line: t.line, anchorId, positiveId, negativeId });
    this.apply(verdict, t, ids.ids, ev.text);
  }

  private apply(v: Verdict, t: ParsedLine, ids: number[], text: string): void {
    const base = { file: this.path, line: t.line, text: clip(text) };
    if (v.kind === 'invalid') return this.issue(t.line, text, v.reason);
    if (v.kind === 'conflict') {
      if (v.conflict === 'repeat') this.duplicates++;
      this.conflicts.push({ ...base, kind: v.conflict, triplet: v.triplet, reason: v.reason });
      return;
    }
    if (v.kind === 'leak') {
      this.leaks.push({ ...base, triplet: v.triplet, reason: v.reason });
      if (!this.opts.allowLeakage) return;
    }
    this.insert(this.nextId++, this.split, ids[0], ids[1], ids[2], t.anchor, t.positive, t.negative, this.fileId, t.line, this.nextSeq++);
    this.classifier.added(ids, v.kind === 'leak' ? v.triplet?.id : undefined);
    this.added++;
    if (v.kind === 'add-repeat') this.repeatedInFile++;
  }

  /** A `#` line is a comment; but if its first word is an image's name, the user meant a triplet. */
  private checkComment(line: number, text: string, fields: string[]): void {
    if (fields.length !== 3 || fields[0] === '#') return;
    if ('id' in this.resolver.resolve(fields[0])) {
      this.issue(line, text, `a line starting with "#" is a comment, but "${fields[0]}" is an image: write its name as %23${fields[0].slice(1)}`);
    }
  }

  private resolveAll(t: ParsedLine): { ids: number[] } | { error: string } {
    const errors: string[] = [];
    const ids = t.names.map((name, i) => {
      const r = this.resolveName(name, [t.anchor, t.positive, t.negative][i]);
      if ('error' in r) errors.push(r.error);
      return 'id' in r ? r.id : 0;
    });
    return errors.length ? { error: errors.join('; ') } : { ids };
  }

  /**
   * The decoded name; then its NFC form (until the resolver normalises itself); then, for a name with
   * a backslash, the exact stored name (the resolver reads `\` as `/`); then the field as written
   * (files from before escaping, naming a file literally called `a%20b.jpg`). When the decoded name
   * and the field as written are two images and an earlier import of this file bound the field as
   * written, the line is ambiguous: reading it with its escapes now would bind the same line to
   * another image (in any other file the escaped reading, as export writes it, holds).
   */
  private resolveName(name: string, written: string): { id: number } | { error: string } {
    const r = this.resolver.resolve(name);
    if ('id' in r) {
      const w = written !== name ? this.resolver.resolve(written) : r;
      if ('id' in w && w.id !== r.id && this.boundByFile(this.path, written, w.id)) {
        return { error: `ambiguous name "${written}": an earlier import of this file bound it to the image named "${written}", but read with its escapes it is now "${name}"; write "${encodeName(written)}" to keep the first` };
      }
      return r;
    }
    const nfc = name.normalize('NFC');
    if (nfc !== name) {
      const n = this.resolver.resolve(nfc);
      if ('id' in n) return n;
    }
    if (name.includes('\\')) {
      const id = this.exactName(name);
      if (id !== undefined) return { id };
    }
    if (written !== name) {
      const w = this.resolver.resolve(written);
      if ('id' in w) return w;
      return { error: `${r.error} (written "${written}")` };
    }
    return r;
  }

  private issue(line: number, text: string, message: string): void {
    this.invalid.push({ file: this.path, line, text: clip(text), message });
  }

  finish(lines: number, sha256: string): TripletImportReport {
    finishTripletFile(this.db, this.fileId, sha256, lines);
    const invalid = this.invalid.items.sort((a, b) => a.line - b.line);
    const leakRefused = this.leaks.count > 0 && !this.opts.allowLeakage && !this.opts.skipInvalid;
    const refused = (this.invalid.count > 0 && !this.opts.skipInvalid) || leakRefused;
    const completed = refused ? null : this.classifier.completedLeaks(this.db);
    return {
      file: this.path,
      split: this.split,
      lines,
      added: refused ? 0 : this.added,
      duplicates: this.duplicates,
      repeatedInFile: refused ? 0 : this.repeatedInFile,
      invalid,
      invalidCount: this.invalid.count,
      refused,
      ...(refused ? { addable: this.added } : {}),
      conflicts: this.conflicts.items,
      conflictCount: this.conflicts.count,
      leakage: {
        triplets: this.leaks.count,
        sharedImages: this.classifier.shared.size,
        lines: this.leaks.items,
        allowed: !!this.opts.allowLeakage,
        ...(completed?.count ? { completed: completed.count, completedIds: completed.items } : {}),
      },
    };
  }
}
