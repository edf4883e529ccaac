// The run list with each finished run's score on today's test labels (`npm run bench -- runs-now`):
// `listRuns` (one GROUP BY over the stored predictions, joined to the active test triplets) against
// the plain listing it extends (rows and epochs only), for a small project and for 10 runs over
// 100,000 test triplets (1,000,000 stored predictions). The Train view and Review fetch it after
// each label edit while shown, so it should stay well under a frame budget of interaction (~100 ms)
// for usual sizes; no target is set for the extreme one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRuns } from '../src/main/project/run-rows.js';
import { openDb, type Db } from '../src/main/store/db.js';
import { allRunRows, toRunSummary } from '../src/main/store/runs.js';

const SIZES = [
  { tests: 1_000, runs: 3 },
  { tests: 100_000, runs: 10 },
];
const REPEATS = 7;

/** `tests` distinct active test triplets over 3,000 images and `runs` finished runs, each with a prediction per triplet. */
function fill(db: Db, tests: number, runs: number): void {
  const images = 3_000;
  db.transaction(() => {
    const img = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', '', '', 1, 1, 1, 0)`);
    for (let i = 1; i <= images; i++) img.run(`${i}.jpg`, `${i}.jpg`);
    const tri = db.prepare(`INSERT INTO triplets (split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, seq) VALUES ('test', ?, ?, ?, 'a', 'p', 'n', 'active', 'manual', ?)`);
    // Anchor a with positives a+1 … a+39 and a negative away from both: every triple distinct.
    for (let k = 0, a = 1; k < tests; a++) {
      for (let p = a + 1; p < a + 40 && k < tests; p++) tri.run(a, p, ((a + 1500) % images) + 1, ++k);
    }
    const run = db.prepare(`INSERT INTO runs (status, options, backend, test_count, test_accuracy) VALUES ('finished', '{}', 'wasm', ?, 0.5)`);
    const pred = db.prepare('INSERT INTO predictions (run_id, triplet_id, d_ap, d_an) VALUES (?, ?, ?, ?)');
    for (let r = 1; r <= runs; r++) {
      run.run(tests);
      for (let t = 1; t <= tests; t++) pred.run(r, t, (t * 0.37 + r) % 1, (t * 0.61 + r) % 1);
    }
  })();
}

/** Median milliseconds of `fn` over REPEATS calls (after one warm-up). */
function medianMs(fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((x, y) => x - y)[Math.floor(REPEATS / 2)];
}

export async function runRunsNowBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-bench-runs-now-'));
  try {
    console.log('test triplets | runs | plain list (ms) | with score now (ms) | ratio');
    for (const { tests, runs } of SIZES) {
      const db = openDb(join(dir, `p-${tests}.sqlite`));
      fill(db, tests, runs);
      const plain = medianMs(() => allRunRows(db).map((r) => toRunSummary(db, r)));
      const withNow = medianMs(() => listRuns(db));
      console.log(`${tests.toLocaleString('en-US')} | ${runs} | ${plain.toFixed(2)} | ${withNow.toFixed(2)} | ${(withNow / plain).toFixed(1)}×`);
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
