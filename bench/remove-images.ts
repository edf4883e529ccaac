// Removing images (`npm run bench -- remove-images`): remove, undo and redo of every image of a folder
// in a project of N images (one path each) with 5,000 suggestion answers and 5,000 flagged triplets
// naming other images, with migration 0014's indexes on suggestion_answers(pair_lo, pair_hi) and
// triplet_flags(image_id) against the same store without them (each deletion's cascade then scans
// both tables once per image). One run per arm; the ratio is without ÷ with. Then the deletion itself
// as one DELETE over json_each (store/image-removal.ts deleteImages) against one DELETE per id, on the
// same indexed store, each rolled back, alternated twice (the second of each is reported).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project } from '../src/main/project/project.js';
import { deleteImages } from '../src/main/store/image-removal.js';

const SIZES = [10_000, 100_000];
const ANSWERS = 5_000;

/** A project of n images in folder "f" (removed) and 2 × ANSWERS in folder "keep" (answered about, flagged). */
function makeProject(dir: string, n: number): Project {
  const p = Project.init(dir);
  const img = p.db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms, thumb) VALUES (?, ?, ?, ?, ?, 1, 1, 1, 0, ?)`);
  const path = p.db.prepare(`INSERT INTO image_paths (image_id, abs_path, root, rel, bytes, mtime_ms, sha256) VALUES (?, ?, '/r', ?, 1, 0, ?)`);
  p.db.transaction(() => {
    const add = (folder: string, i: number) => {
      const name = `${folder}/${i}.jpg`;
      const id = Number(img.run(name, `${i}.jpg`, folder, `/r/${name}`, `${folder}${i}`, `thumbs/${folder}${i}.webp`).lastInsertRowid);
      path.run(id, `/r/${name}`, name, `${folder}${i}`);
      return id;
    };
    const keep = Array.from({ length: 2 * ANSWERS + 1 }, (_, i) => add('keep', i));
    for (let i = 0; i < n; i++) add('f', i);
    const answer = p.db.prepare(`INSERT INTO suggestion_answers (anchor_id, pair_lo, pair_hi, answer) VALUES (?, ?, ?, 'rejected')`);
    for (let i = 0; i < ANSWERS; i++) answer.run(keep[2 * i], keep[2 * i + 1], keep[2 * i + 2]);
    const t = p.db.prepare(`INSERT INTO triplets (split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, origin, seq) VALUES ('train', ?, ?, ?, 'a', 'p', 'n', 'manual', ?)`);
    const flag = p.db.prepare(`INSERT INTO triplet_flags (triplet_id, image_id, reason) VALUES (?, ?, 'changed')`);
    for (let i = 0; i < ANSWERS; i++) flag.run(Number(t.run(keep[2 * i], keep[2 * i + 1], keep[2 * i + 2], i).lastInsertRowid), keep[2 * i]);
  })();
  return p;
}

function seconds(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

export async function runRemoveImagesBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ts-bench-remove-'));
  try {
    console.log('| images removed | indexes (0014) | dry run | remove | undo | redo |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const n of SIZES) {
      const times: Record<string, number[]> = {};
      for (const indexed of [true, false]) {
        const p = makeProject(join(root, `p${n}-${indexed}`), n);
        try {
          if (!indexed) p.db.exec('DROP INDEX suggestion_answers_pair_lo; DROP INDEX suggestion_answers_pair_hi; DROP INDEX triplet_flags_image;');
          const dry = seconds(() => p.removeImages({ folder: 'f' }, { dryRun: true }));
          const remove = seconds(() => {
            if (p.removeImages({ folder: 'f' }).removed !== n) throw new Error('not every image was removed');
          });
          const undo = seconds(() => p.undo());
          const redo = seconds(() => p.redo());
          times[String(indexed)] = [dry, remove, undo, redo];
          console.log(`| ${n.toLocaleString('en')} | ${indexed ? 'yes' : 'no'} | ${[dry, remove, undo, redo].map((s) => `${s.toFixed(2)} s`).join(' | ')} |`);
        } finally {
          p.close();
        }
      }
      const [a, b] = [times.true, times.false];
      console.log(`| ${n.toLocaleString('en')} | ratio no ÷ yes | ${a.map((s, i) => `${(b[i] / s).toFixed(2)}×`).join(' | ')} |`);
    }
    console.log('\n| images deleted | one DELETE per id | one DELETE (json_each) | ratio |');
    console.log('| --- | --- | --- | --- |');
    for (const n of SIZES) {
      const p = makeProject(join(root, `d${n}`), n);
      try {
        const ids = p.db.prepare(`SELECT id FROM images WHERE folder = 'f'`).pluck().all() as number[];
        const perId = p.db.prepare('DELETE FROM images WHERE id = ?');
        const arms = {
          perId: () => ids.forEach((id) => perId.run(id)),
          set: () => deleteImages(p.db, ids),
        };
        const rolledBack = (fn: () => unknown) => {
          p.db.exec('BEGIN');
          try {
            return seconds(fn);
          } finally {
            p.db.exec('ROLLBACK');
          }
        };
        const t: Record<string, number> = {};
        for (let round = 0; round < 2; round++) for (const [name, fn] of Object.entries(arms)) t[name] = rolledBack(fn);
        console.log(`| ${n.toLocaleString('en')} | ${t.perId.toFixed(2)} s | ${t.set.toFixed(2)} s | ${(t.perId / t.set).toFixed(2)}× |`);
      } finally {
        p.close();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
