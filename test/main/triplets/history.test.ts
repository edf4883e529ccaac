// Edit history as a linear undo stack: the reported redo sequence, random edit/undo/redo sequences
// against a plain model of an undo stack, imports as one step, review decisions, as-imported labels.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import type { ReviewDecision, Split, TripletEdit } from '../../../src/shared/types.js';
import { listMistakes } from '../../../src/main/project/runs.js';
import { openDb, type Db } from '../../../src/main/store/db.js';
import { newVersion } from '../../../src/main/store/images.js';
import { migration0001 } from '../../../src/main/store/migrations/0001-init.js';
import { migration0002 } from '../../../src/main/store/migrations/0002-kept.js';
import { noteImageImport } from '../../../src/main/triplets/history.js';
import { runTripletImport } from '../../../src/main/triplets/import-run.js';
import * as store from '../../../src/main/triplets/store.js';
import { testTripletsAsImported } from '../../../src/main/triplets/as-imported.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-history-'));
const IMAGES = ['a', 'b', 'c', 'd', 'e', 'f'];
let db: Db;
let dir: string;

function addImages(d: Db): void {
  addFilelessImages(d, IMAGES.map((n) => `${n}.jpg`));
}

beforeEach(() => {
  db?.close();
  dir = mkdtempSync(join(root, 'p-'));
  db = openDb(join(dir, 'project.sqlite'));
  addImages(db);
});

after(() => {
  db?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The label-bearing fields of every stored triplet. */
function state(): string {
  return JSON.stringify(db.prepare('SELECT id, split, anchor_id, positive_id, negative_id, status, review, edited FROM triplets ORDER BY id').all());
}

const create = (a: number, p: number, n: number, split: Split = 'test') => store.createTriplet(db, { split, anchorId: a, positiveId: p, negativeId: n }).id;

test('the reported sequence: swap T1, swap T2, undo, exclude T3, undo, undo, redo, redo, redo never re-applies the abandoned swap of T2', () => {
  const [t1, t2, t3] = [create(1, 2, 3), create(2, 3, 4), create(3, 4, 5)];
  const get = (id: number) => store.getSnapshot(db, id)!;
  store.editTriplet(db, t1, { kind: 'swap' });
  store.editTriplet(db, t2, { kind: 'swap' });
  assert.equal(store.undo(db)!.tripletId, t2);
  store.editTriplet(db, t3, { kind: 'exclude' });
  assert.equal(store.undo(db)!.tripletId, t3);
  assert.equal(store.undo(db)!.tripletId, t1);
  assert.equal(get(t1).positiveId, 2);

  const r1 = store.redo(db)!;
  assert.deepEqual([r1.tripletId, r1.action], [t1, 'swap'], 'redo re-applies the most recently undone edit');
  assert.equal(get(t1).positiveId, 3);
  const r2 = store.redo(db)!;
  assert.deepEqual([r2.tripletId, r2.action], [t3, 'exclude']);
  assert.equal(get(t3).status, 'excluded');
  assert.equal(store.redo(db), null, 'the swap of T2 was abandoned by the exclude of T3');
  assert.equal(get(t2).positiveId, 3, 'T2 keeps its original orientation');
  const swapOfT2 = store.listHistory(db).find((h) => h.tripletId === t2 && h.action === 'swap')!;
  assert.deepEqual([swapOfT2.undone, swapOfT2.discarded], [true, true]);
});

// ---------- Property: random edits, undos and redos against a plain undo-stack model ----------

type Model = Map<number, { split: Split; a: number; p: number; n: number; status: string; review: ReviewDecision | null; edited: boolean }>;

function modelState(m: Model): string {
  return JSON.stringify(
    [...m]
      .sort(([x], [y]) => x - y)
      .map(([id, t]) => ({ id, split: t.split, anchor_id: t.a, positive_id: t.p, negative_id: t.n, status: t.status, review: t.review, edited: t.edited ? 1 : 0 })),
  );
}

/**
 * Whether the store must refuse (a, p, n) in `split` (triplets/label-checks.ts), `self` left out: a
 * duplicate or contradiction in the split, the same triplet in the other split, or all three images
 * used by active triplets of the other split.
 */
function modelRefuses(m: Model, self: number, split: Split, a: number, p: number, n: number): boolean {
  const others = [...m].filter(([id]) => id !== self).map(([, t]) => t);
  if (others.some((t) => t.a === a && ((t.p === p && t.n === n) || (t.p === n && t.n === p)))) return true;
  const used = new Set(others.filter((t) => t.split !== split && t.status === 'active').flatMap((t) => [t.a, t.p, t.n]));
  return [a, p, n].every((id) => used.has(id)) || modelCompletes(others, split, [a, p, n]);
}

/** The leak rule seen from the other split: an active triplet there whose three images would be used in `split` only with this label. */
function modelCompletes(others: { split: Split; status: string; a: number; p: number; n: number }[], split: Split, images: number[]): boolean {
  const here = new Set(others.filter((t) => t.split === split && t.status === 'active').flatMap((t) => [t.a, t.p, t.n]));
  return others.some((o) => {
    const its = [o.a, o.p, o.n];
    return o.split !== split && o.status === 'active' && !its.every((i) => here.has(i)) && its.every((i) => here.has(i) || images.includes(i));
  });
}

/** Whether taking an excluded triplet back in must be refused: it would leak (label-checks.ts checkInclude). */
function modelIncludeLeaks(m: Model, self: number, t: { split: Split; a: number; p: number; n: number }): boolean {
  const others = [...m].filter(([id]) => id !== self).map(([, o]) => o);
  if (others.some((o) => o.split !== t.split && o.a === t.a && ((o.p === t.p && o.n === t.n) || (o.p === t.n && o.n === t.p)))) return true;
  const used = new Set(others.filter((o) => o.split !== t.split && o.status === 'active').flatMap((o) => [o.a, o.p, o.n]));
  return [t.a, t.p, t.n].every((id) => used.has(id)) || modelCompletes(others, t.split, [t.a, t.p, t.n]);
}

/** What an edit does to one triplet in the model (undefined = the triplet is deleted). */
function modelEdit(t: NonNullable<ReturnType<Model['get']>>, edit: TripletEdit) {
  switch (edit.kind) {
    case 'swap':
      return { ...t, p: t.n, n: t.p, edited: true, review: t.review === 'keep' ? null : t.review };
    case 'exclude':
      return { ...t, status: 'excluded', edited: true };
    case 'include':
      return { ...t, status: 'active', edited: true, review: t.review === 'ambiguous' ? null : t.review };
    case 'keep':
      return { ...t, review: 'keep' as const };
    case 'review':
      return edit.review === 'ambiguous' ? { ...t, review: edit.review, status: 'excluded', edited: true } : { ...t, review: edit.review };
    case 'move':
      return edit.split === t.split ? t : { ...t, split: edit.split, edited: true };
    case 'delete':
      return undefined;
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('property: 150 random sequences of edits, imports, undos and redos match a linear undo stack', async () => {
  const EDITS: TripletEdit[] = [
    { kind: 'swap' },
    { kind: 'exclude' },
    { kind: 'include' },
    { kind: 'keep' },
    { kind: 'review', review: 'ambiguous' },
    { kind: 'review', review: null },
    { kind: 'move', split: 'train' },
    { kind: 'move', split: 'test' },
    { kind: 'delete' },
  ];
  let steps = 0;
  for (let seed = 1; seed <= 150; seed++) {
    db.close();
    db = openDb(join(mkdtempSync(join(root, 's-')), 'project.sqlite'));
    addImages(db);
    const rand = rng(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    // The model: a list of whole-store states and the position of the current one.
    let model: Model = new Map();
    const stack: Model[] = [model];
    let pos = 0;
    const push = (next: Model) => {
      stack.splice(pos + 1);
      stack.push(next);
      pos++;
      model = next;
    };
    const trace: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = rand();
      let op: string;
      if (r < 0.2) {
        op = 'undo';
        const e = store.undo(db);
        assert.equal(e !== null, pos > 0, `seed ${seed}: undo ${trace.join(', ')}`);
        if (pos > 0) model = stack[--pos];
      } else if (r < 0.35) {
        op = 'redo';
        const e = store.redo(db);
        assert.equal(e !== null, pos < stack.length - 1, `seed ${seed}: redo after ${trace.join(', ')}`);
        if (pos < stack.length - 1) model = stack[++pos];
      } else if (r < 0.5 || model.size === 0) {
        const [a, p, n] = [...IMAGES.keys()].sort(() => rand() - 0.5).slice(0, 3).map((x) => x + 1);
        const split: Split = rand() < 0.5 ? 'train' : 'test';
        op = `create ${a}${p}${n} ${split}`;
        if (modelRefuses(model, 0, split, a, p, n)) assert.throws(() => create(a, p, n, split), { code: 'CONFLICT' });
        else {
          const id = create(a, p, n, split);
          push(new Map(model).set(id, { split, a, p, n, status: 'active', review: null, edited: false }));
        }
      } else if (r < 0.55) {
        const split: Split = rand() < 0.5 ? 'train' : 'test';
        const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
          const [a, p, n] = [...IMAGES].sort(() => rand() - 0.5).slice(0, 3);
          return `${a}.jpg ${p}.jpg ${n}.jpg`;
        });
        // Sometimes a line twice (kept: two copies, the case where a swap can be refused).
        if (rand() < 0.6) lines.push(lines[0]);
        op = `import ${lines.length} ${split}`;
        const file = join(root, `s${seed}-${i}.txt`);
        writeFileSync(file, lines.join('\n') + '\n');
        const maxId = Math.max(0, ...db.prepare('SELECT id FROM triplets').pluck().all() as number[]);
        // The import records itself as one step; lines it refuses (leakage, contradictions) are skipped.
        await runTripletImport(db, file, split, { skipInvalid: true, allowLeakage: true });
        const added = db.prepare('SELECT id, split, anchor_id AS a, positive_id AS p, negative_id AS n FROM triplets WHERE id > ?').all(maxId) as { id: number; split: Split; a: number; p: number; n: number }[];
        assert.ok(added.every((t) => !model.has(t.id)), 'an import adds new rows only');
        if (added.length) {
          const next = new Map(model);
          for (const t of added) next.set(t.id, { split: t.split, a: t.a, p: t.p, n: t.n, status: 'active', review: null, edited: false });
          push(next);
        }
      } else {
        const id = pick([...model.keys()]);
        const edit = pick(EDITS);
        op = `${edit.kind}${'split' in edit ? ' ' + edit.split : ''}${'review' in edit ? ' ' + edit.review : ''} #${id}`;
        const before = model.get(id)!;
        // A swap is refused when another triplet of the split already has the swapped labels.
        const swapRefused = edit.kind === 'swap' && [...model].some(([o, t]) => o !== id && t.split === before.split && t.a === before.a && t.p === before.n && t.n === before.p);
        const includeRefused = edit.kind === 'include' && before.status === 'excluded' && modelIncludeLeaks(model, id, before);
        if (swapRefused || includeRefused || (edit.kind === 'move' && edit.split !== before.split && modelRefuses(model, id, edit.split, before.a, before.p, before.n))) {
          assert.throws(() => store.editTriplet(db, id, edit), { code: 'CONFLICT' });
          trace.push(`${op} (refused)`);
          steps++;
          continue;
        }
        store.editTriplet(db, id, edit);
        const after = modelEdit(before, edit);
        if (after === undefined) {
          const next = new Map(model);
          next.delete(id);
          push(next);
        } else if (JSON.stringify(after) !== JSON.stringify(before)) push(new Map(model).set(id, after));
      }
      trace.push(op);
      steps++;
      assert.equal(state(), modelState(model), `seed ${seed} after: ${trace.join(', ')}`);
    }
  }
  assert.ok(steps >= 6000);
});

// ---------- Steps, log entries, review decisions, as imported ----------

test('a triplet import is one step: undo removes all it added, redo restores the same ids; an image import is listed but not undoable', async () => {
  const file = join(dir, 'train.txt');
  writeFileSync(file, 'a.jpg b.jpg c.jpg\nb.jpg c.jpg d.jpg\nc.jpg d.jpg e.jpg\n');
  await runTripletImport(db, file, 'train');
  noteImageImport(db, '/photos', { added: 3 });
  store.editTriplet(db, 2, { kind: 'swap' });
  const after = state();
  const h = store.listHistory(db);
  assert.deepEqual(
    h.map((e) => [e.action, e.count, e.undoable]),
    [
      ['swap', 1, true],
      ['import-images', 0, false],
      ['import', 3, true],
    ],
  );
  assert.match(h[1].note!, /3 added/);
  assert.equal(store.undo(db)!.action, 'swap');
  const u = store.undo(db)!;
  assert.deepEqual([u.action, u.count, u.undone], ['import', 3, true], 'the image import is skipped, the whole triplet import undone');
  assert.equal(state(), '[]');
  assert.equal(store.undo(db), null);
  assert.equal(store.redo(db)!.count, 3);
  assert.deepEqual(db.prepare('SELECT id FROM triplets').pluck().all(), [1, 2, 3]);
  assert.equal(store.redo(db)!.action, 'swap');
  assert.equal(state(), after);
});

test('flags and predictions come back with a row: delete then undo, undo then redo of an import, redo then undo of a delete', async () => {
  const file = join(dir, 'train.txt');
  writeFileSync(file, 'a.jpg b.jpg c.jpg\nb.jpg c.jpg d.jpg\n');
  await runTripletImport(db, file, 'train');
  db.prepare(`INSERT INTO runs (id, status, options, backend) VALUES (1, 'finished', '{}', 'cpu')`).run();
  db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, 1, 0.25, 0.5), (1, 2, 0.75, 0.5)').run();
  // What a re-import writes when a.jpg changed on disk (store/images.ts): triplet 1 is flagged.
  db.prepare(`INSERT INTO triplet_flags (triplet_id, image_id, reason, flagged_at) VALUES (1, 1, 'content changed', '2026-12-07T00:00:00.000Z')`).run();
  const extras = () =>
    JSON.stringify([
      db.prepare('SELECT triplet_id, image_id, reason, flagged_at FROM triplet_flags ORDER BY 1, 2').all(),
      db.prepare('SELECT run_id, triplet_id, d_ap, d_an FROM predictions ORDER BY 1, 2').all(),
    ]);
  const before = extras();
  const labels = state();

  store.editTriplet(db, 1, { kind: 'delete' });
  assert.equal(db.prepare('SELECT COUNT(*) FROM triplet_flags').pluck().get(), 0);
  store.undo(db);
  assert.equal(extras(), before, 'delete, undo');
  store.redo(db);
  store.undo(db);
  assert.equal(extras(), before, 'redo of the delete, undo again');

  store.undo(db); // the import
  assert.equal(state(), '[]');
  store.redo(db);
  assert.equal(state(), labels);
  assert.equal(extras(), before, 'undo, then redo of the import');
});

test('a triplet brought back after its image got new content meanwhile comes back flagged, without the old distances', async () => {
  db.prepare(`INSERT INTO runs (id, status, options, backend) VALUES (1, 'finished', '{}', 'cpu')`).run();
  const [t1, t2] = [create(1, 2, 3), create(4, 5, 6)];
  db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, ?, 0.25, 0.5), (1, ?, 0.75, 0.5)').run(t1, t2);
  store.editTriplet(db, t1, { kind: 'delete' });
  store.editTriplet(db, t2, { kind: 'delete' });
  await new Promise((r) => setTimeout(r, 5)); // the store's times have millisecond steps
  // b.jpg changed on disk and was imported again while t1 was deleted (what import writes, store/images.ts).
  newVersion(db, 2, { abs_path: '', sha256: 'other', width: 1, height: 1, bytes: 1, mtime_ms: 1, thumb: '', orientation: null }, 'changed');
  const predictions = (id: number) => db.prepare('SELECT COUNT(*) FROM predictions WHERE triplet_id = ?').pluck().get(id);
  store.undo(db); // t2: its images did not change, its distances come back
  assert.equal(predictions(t2), 1);
  assert.equal(db.prepare('SELECT COUNT(*) FROM triplet_flags WHERE triplet_id = ?').pluck().get(t2), 0);
  store.undo(db); // t1
  assert.equal(predictions(t1), 0, 'the distances were for the old photo');
  assert.deepEqual(db.prepare('SELECT image_id, reason FROM triplet_flags WHERE triplet_id = ?').all(t1), [
    { image_id: 2, reason: 'image "b.jpg" changed on disk while this triplet was deleted: check this triplet' },
  ]);
  // Redo deletes it again; undo brings it back flagged the same.
  store.redo(db);
  store.undo(db);
  assert.equal(db.prepare('SELECT COUNT(*) FROM triplet_flags WHERE triplet_id = ?').pluck().get(t1), 1);
  assert.equal(predictions(t1), 0);

  // An image that changed while the triplet was live (flagged then, scored since by a newer run) is
  // not "changed while deleted" when undo then redo of its creation takes it out and back (review).
  const t3 = create(2, 4, 6);
  await new Promise((r) => setTimeout(r, 5));
  newVersion(db, 4, { abs_path: '', sha256: 'other-d', width: 1, height: 1, bytes: 1, mtime_ms: 1, thumb: '', orientation: null }, 'changed');
  db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, ?, 0.1, 0.2)').run(t3);
  const live = db.prepare('SELECT image_id, reason FROM triplet_flags WHERE triplet_id = ?').all(t3);
  assert.deepEqual(live, [{ image_id: 4, reason: 'changed' }]);
  store.undo(db);
  await new Promise((r) => setTimeout(r, 5));
  store.redo(db);
  assert.deepEqual(db.prepare('SELECT image_id, reason FROM triplet_flags WHERE triplet_id = ?').all(t3), live);
  assert.equal(predictions(t3), 1, 'the newer run kept its distances');

  // An image that changes while a triplet's creation is undone: the redo brings it back flagged, and the
  // flag says how it was away (it said "deleted").
  const t4 = create(3, 5, 1);
  db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, ?, 0.1, 0.2)').run(t4);
  store.undo(db);
  await new Promise((r) => setTimeout(r, 5));
  newVersion(db, 5, { abs_path: '', sha256: 'other-e', width: 1, height: 1, bytes: 1, mtime_ms: 1, thumb: '', orientation: null }, 'changed');
  store.redo(db);
  assert.deepEqual(db.prepare('SELECT image_id, reason FROM triplet_flags WHERE triplet_id = ?').all(t4), [
    { image_id: 5, reason: 'image "e.jpg" changed on disk while its creation was undone: check this triplet' },
  ]);
  assert.equal(predictions(t4), 0, 'the distances were for the old photo');
});

test('undo refuses to overwrite a change made outside the history', () => {
  const id = create(1, 2, 3);
  store.editTriplet(db, id, { kind: 'swap' });
  db.prepare('UPDATE triplets SET positive_id = 4 WHERE id = ?').run(id);
  assert.throws(() => store.undo(db), { code: 'CONFLICT' });
  assert.equal(store.getSnapshot(db, id)!.positiveId, 4, 'store unchanged');
});

test('review decisions: keep/ambiguous are undoable edits, listed with mistakes, and survive re-evaluation and a restart', async () => {
  const [t1, t2] = [create(1, 2, 3), create(2, 3, 4)];
  db.prepare(`INSERT INTO runs (status, options, backend, model_dir) VALUES ('finished', '{}', 'wasm', 'models/run-1')`).run();
  const score = () => db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (1, ?, 0.9, 0.1), (1, ?, 0.8, 0.2)').run(t1, t2);
  score();
  store.editTriplet(db, t1, { kind: 'review', review: 'keep' });
  const mistakes = await listMistakes(db, dir, 1);
  assert.deepEqual(mistakes.map((m) => [m.tripletId, m.review]), [[t1, 'keep'], [t2, null]]);
  // Re-evaluation replaces the run's predictions; the decision is on the triplet, so it stays.
  db.prepare('DELETE FROM predictions WHERE run_id = 1').run();
  score();
  assert.equal((await listMistakes(db, dir, 1))[0].review, 'keep');
  // "Ambiguous" also excludes, in one step.
  const amb = store.editTriplet(db, t2, { kind: 'review', review: 'ambiguous' })!;
  assert.deepEqual([amb.review, amb.status], ['ambiguous', 'excluded']);
  db.close();
  db = openDb(join(dir, 'project.sqlite'));
  assert.deepEqual((await listMistakes(db, dir, 1)).map((m) => [m.tripletId, m.review]), [[t1, 'keep']]);
  assert.equal(store.undo(db)!.action, 'review');
  assert.deepEqual([store.getSnapshot(db, t2)!.review, store.getSnapshot(db, t2)!.status], [null, 'active']);
  // Swapping ("labels wrong") supersedes "keep these labels".
  assert.equal(store.editTriplet(db, t1, { kind: 'swap' })!.review, null);
  store.undo(db);
  assert.equal(store.getSnapshot(db, t1)!.review, 'keep');
});

test('asImported: the labels as first imported, whatever was edited since', async () => {
  const file = join(dir, 'test.txt');
  writeFileSync(file, 'a.jpg b.jpg c.jpg\nb.jpg c.jpg d.jpg\n');
  await runTripletImport(db, file, 'test');
  // A triplet imported before this history existed (no import row): its first edit's `before`.
  await runTripletImport(db, (writeFileSync(join(dir, 'old.txt'), 'd.jpg e.jpg f.jpg\n'), join(dir, 'old.txt')), 'test');
  db.prepare(`DELETE FROM history WHERE note LIKE '%old.txt%'`).run();
  store.editTriplet(db, 1, { kind: 'swap' });
  store.editTriplet(db, 1, { kind: 'move', split: 'train' });
  store.editTriplet(db, 1, { kind: 'exclude' });
  store.editTriplet(db, 3, { kind: 'swap' });
  store.undo(db);
  store.editTriplet(db, 3, { kind: 'swap' });
  const got = store.asImported(db, [1, 2, 3, 99]);
  assert.deepEqual(Object.fromEntries(got), {
    1: { anchorId: 1, positiveId: 2, negativeId: 3, status: 'active', split: 'test' },
    2: { anchorId: 2, positiveId: 3, negativeId: 4, status: 'active', split: 'test' },
    3: { anchorId: 4, positiveId: 5, negativeId: 6, status: 'active', split: 'test' },
  });
  assert.equal(store.getSnapshot(db, 1)!.positiveId, 3, 'the current labels differ');
});

test('as-imported labels have one rule: a made-then-undone test triplet counts neither for asImported nor for the as-imported accuracy', async () => {
  const file = join(dir, 'test.txt');
  writeFileSync(file, 'a.jpg b.jpg c.jpg\n');
  await runTripletImport(db, file, 'test');
  const made = store.createTriplet(db, { split: 'test', anchorId: 4, positiveId: 5, negativeId: 6 });
  store.undo(db); // the creation is undone: the triplet is gone, its only history row has no `before`
  assert.equal(store.getSnapshot(db, made.id), null);
  // Before one home, store.asImported read the creation row's `after` and still listed it.
  assert.deepEqual([...store.asImported(db, [1, made.id]).keys()], [1]);
  assert.deepEqual(testTripletsAsImported(db).map((t) => t.id), [1]);
});

test('migration 0004: kept becomes review "keep"; undone rows of an old history are discarded, so redo cannot pick an abandoned edit', () => {
  const file = join(root, 'v2.sqlite');
  const raw = new Database(file);
  raw.exec(migration0001.sql);
  raw.exec(migration0002.sql);
  raw.pragma('user_version = 2');
  raw.exec(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES ('a','a','','','',1,1,1,0), ('b','b','','','',1,1,1,0), ('c','c','','','',1,1,1,0);
    INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, origin, seq, kept) VALUES (1, 'test', 1, 2, 3, 'a', 'b', 'c', 'manual', 1, 1);
    INSERT INTO history (triplet_id, action, before, after, undone) VALUES (1, 'swap', '{}', '{}', 1);`);
  raw.close();
  const d = openDb(file);
  assert.equal(d.prepare('SELECT review FROM triplets').pluck().get(), 'keep');
  assert.equal(store.redo(d), null);
  d.close();
});
