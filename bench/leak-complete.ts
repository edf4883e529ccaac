// What a triplet import's "lines that leak only together" check costs (`npm run bench -- leak-complete`),
// and which of its two ways to read the other split to take (triplets/classify.ts completedLeaks):
// the triplets that use the images new to the split, through the image indexes, against one pass
// over the whole other split. On 1,000,000 train triplets over 20,000 images, for 10 … 10,000 new
// test images: median ms of 5 reads of each, and the ratio. The check takes the index below 1,000
// new images and the pass above; this shows where they cross.
// LEAK_COMPLETE_TRAIN overrides the 1,000,000 (for a quick look).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeTripletKeys } from '../src/main/store/audit.js';
import { openDb, type Db } from '../src/main/store/db.js';
import { activeTripletsUsing } from '../src/main/store/triplet-reads.js';

const TRAIN = Number(process.env.LEAK_COMPLETE_TRAIN ?? 1_000_000);
const IMAGES = 20_000;

function fill(db: Db): void {
  const img = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  const tri = db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq)
     VALUES (?, 'train', ?, ?, ?, 'a', 'p', 'n', 'active', 'manual', ?)`,
  );
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  db.transaction(() => {
    for (let i = 1; i <= IMAGES; i++) img.run(`p${i}.jpg`, `p${i}.jpg`, `/nowhere/p${i}.jpg`, String(i));
    for (let id = 1; id <= TRAIN; id++) {
      const a = 1 + Math.floor(rand() * IMAGES);
      const p = 1 + ((a + 1 + Math.floor(rand() * 50)) % IMAGES);
      const n = 1 + ((a + 100 + Math.floor(rand() * 5000)) % IMAGES);
      tri.run(id, a, p, n, id);
    }
  })();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of 5 runs of `fn`, and what it returned (rows that use a new image). */
function time(fn: () => number): { ms: number; rows: number } {
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    rows = fn();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), rows };
}

export async function runLeakCompleteBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-bench-leak-'));
  try {
    const db = openDb(join(dir, 'project.sqlite'));
    const t0 = performance.now();
    fill(db);
    console.log(`leak-complete: ${TRAIN.toLocaleString('en-US')} train triplets over ${IMAGES.toLocaleString('en-US')} images (filled in ${((performance.now() - t0) / 1000).toFixed(1)} s; load ${loadavg()[0].toFixed(1)})`);
    console.log('new test images | by index (ms) | one pass (ms) | index ÷ pass | rows using one');
    for (const k of [10, 100, 1_000, 10_000]) {
      const fresh = Array.from({ length: k }, (_, i) => 1 + ((i * 7919) % IMAGES));
      const set = new Set(fresh);
      const byIndex = time(() => {
        let n = 0;
        for (const _ of activeTripletsUsing(db, 'train', fresh)) n++;
        return n;
      });
      const pass = time(() => {
        let n = 0;
        for (const [, a, p, q] of activeTripletKeys(db, 'train')) if (set.has(a) || set.has(p) || set.has(q)) n++;
        return n;
      });
      if (byIndex.rows !== pass.rows) throw new Error(`the two reads disagree: ${byIndex.rows} against ${pass.rows} rows`);
      console.log(`${String(k).padStart(15)} | ${byIndex.ms.toFixed(1).padStart(13)} | ${pass.ms.toFixed(1).padStart(13)} | ${(byIndex.ms / pass.ms).toFixed(2).padStart(12)} | ${byIndex.rows}`);
    }
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
