// The Audit view's refresh on a big project (`npm run bench -- audit-refresh`). After every one-key
// fix the view reads the report again, and contradictions and leakage are found again
// (project/audit.ts refreshReport). Before: every active train and test triplet read with its names
// and file (one object each), then leakage found from those rows, and contradicting pairs joined
// through the anchor's index. Now: image ids only, streamed, then the rows of the leaking triplets;
// pairs joined through the (split, anchor, positive, negative) index. Both in one run on the same store: 1,000,000 train and
// 100,000 test triplets over 20,000 images, 1,000 train triplets leaking (500 the same triplet as a
// test one, 500 made of test images only) and 100 contradicting pairs. Prints the median of 5
// reads of each, the ratio, and how much the heap grew during one read (after a forced GC when run
// with --expose-gc; a floor, as V8 may collect during the read).
// AUDIT_REFRESH_TRAIN overrides the 1,000,000 (for a quick look).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findContradictions, findLeakage } from '../src/main/project/audit-checks.js';
import { activeAuditRows, type AuditRow } from '../src/main/store/audit.js';
import { openDb, readTransaction, type Db } from '../src/main/store/db.js';

const TRAIN = Number(process.env.AUDIT_REFRESH_TRAIN ?? 1_000_000);
const TEST = 100_000;
const IMAGES = 20_000;
/** Test triplets use the first TEST_IMAGES images only, so most train triplets do not leak. */
const TEST_IMAGES = 2_000;
const LEAKS = 500;
const CONTRADICTIONS = 100;

function fill(db: Db): void {
  const img = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, ?, ?, ?, 1, 1, 1, 0)`);
  const file = db.prepare(`INSERT INTO triplet_files (path, split, sha256, lines) VALUES (?, ?, '', 0)`);
  const tri = db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, file_id, line, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', 'imported', ?, ?, ?)`,
  );
  const name = (i: number) => `class-${String(i % 50).padStart(2, '0')}/photo-${String(i).padStart(6, '0')}.jpg`;
  db.transaction(() => {
    for (let i = 1; i <= IMAGES; i++) img.run(name(i), name(i).slice(9), name(i).slice(0, 8), `/nowhere/${name(i)}`, String(i));
    const trainFile = Number(file.run('/data/train.txt', 'train').lastInsertRowid);
    const testFile = Number(file.run('/data/test.txt', 'test').lastInsertRowid);
    let id = 0;
    // Distinct triplets (a, a+1+k, a+2+k): test over the first TEST_IMAGES images, train over the rest.
    const triple = (i: number, base: number, span: number): [number, number, number] => {
      const a = i % span;
      const k = Math.floor(i / span) % (span - 3);
      return [base + a, base + ((a + 1 + k) % span), base + ((a + 2 + k) % span)];
    };
    const add = (split: 'train' | 'test', f: number, [a, p, n]: [number, number, number], seq: number) =>
      tri.run(++id, split, a, p, n, name(a), name(p), name(n), f, seq, seq);
    for (let i = 0; i < TEST; i++) add('test', testFile, triple(i, 1, TEST_IMAGES), i + 1);
    let seq = 0;
    for (let i = 0; i < TRAIN - 2 * LEAKS - CONTRADICTIONS; i++) add('train', trainFile, triple(i, TEST_IMAGES + 1, IMAGES - TEST_IMAGES), ++seq);
    // Leaks: the same triplet as a test one (positive and negative the other way round for half of
    // them), and triplets of test images that test does not hold.
    for (let i = 0; i < LEAKS; i++) {
      const [a, p, n] = triple(i * 7, 1, TEST_IMAGES);
      add('train', trainFile, i % 2 ? [a, p, n] : [a, n, p], ++seq);
    }
    for (let i = 0; i < LEAKS; i++) add('train', trainFile, [1 + i, 1 + ((i + 900) % TEST_IMAGES), 1 + ((i + 1700) % TEST_IMAGES)], ++seq);
    // Train triplets the other way round from one already in train.
    for (let i = 0; i < CONTRADICTIONS; i++) {
      const [a, p, n] = triple(i * 11, TEST_IMAGES + 1, IMAGES - TEST_IMAGES);
      add('train', trainFile, [a, n, p], ++seq);
    }
  })();
}

/** The refresh's checks as they were: every active row of both splits, then leakage from them. */
function beforeChecks(db: Db): { contradictions: number; leakage: number } {
  return readTransaction(db, () => {
    const train = activeAuditRows(db, 'train');
    const test = activeAuditRows(db, 'test');
    const unordered = (r: AuditRow) => `${r.a}:${Math.min(r.p, r.n)}:${Math.max(r.p, r.n)}`;
    const testImages = new Set<number>();
    const testByKey = new Map<string, AuditRow>();
    for (const t of test) {
      testImages.add(t.a).add(t.p).add(t.n);
      if (!testByKey.has(unordered(t))) testByKey.set(unordered(t), t);
    }
    let leakage = 0;
    for (const t of train) if (testByKey.has(unordered(t)) || (testImages.has(t.a) && testImages.has(t.p) && testImages.has(t.n))) leakage++;
    // The contradiction query as it was: partners found through the anchor's index.
    const contradictions = db
      .prepare(
        `SELECT COUNT(*) FROM triplets x JOIN triplets y
           ON y.anchor_id = x.anchor_id AND y.positive_id = x.negative_id AND y.negative_id = x.positive_id
         WHERE x.status = 'active' AND y.status = 'active' AND x.id < y.id`,
      )
      .pluck()
      .get() as number;
    return { contradictions, leakage };
  });
}

function nowChecks(db: Db): { contradictions: number; leakage: number } {
  return readTransaction(db, () => ({ contradictions: findContradictions(db).length, leakage: findLeakage(db).length }));
}

/** Median milliseconds of `runs` calls, the result of the last, and the largest heap growth during one. */
function measure(fn: () => { contradictions: number; leakage: number }, runs = 5): { ms: number; result: { contradictions: number; leakage: number }; heapMB: number } {
  const times: number[] = [];
  let result = fn();
  let heapMB = 0;
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
    heapMB = Math.max(heapMB, (process.memoryUsage().heapUsed - base) / 2 ** 20);
  }
  times.sort((x, y) => x - y);
  return { ms: times[Math.floor(runs / 2)], result, heapMB };
}

export async function runAuditRefreshBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-bench-audit-refresh-'));
  try {
    const db = openDb(join(dir, 'project.sqlite'));
    const t0 = performance.now();
    fill(db);
    console.log(`store: ${TRAIN.toLocaleString('en')} train + ${TEST.toLocaleString('en')} test triplets over ${IMAGES.toLocaleString('en')} images (${((performance.now() - t0) / 1000).toFixed(0)} s to write)`);
    const before = measure(() => beforeChecks(db));
    const now = measure(() => nowChecks(db));
    if (before.result.leakage !== now.result.leakage || before.result.contradictions !== now.result.contradictions) {
      throw new Error(`the two ways disagree: before ${JSON.stringify(before.result)}, now ${JSON.stringify(now.result)}`);
    }
    console.log(`| refresh checks (${now.result.leakage} leaks, ${now.result.contradictions} contradicting pairs) | median of 5 | heap grown during one |`);
    console.log('| --- | --- | --- |');
    console.log(`| before: every row with names, pairs by anchor | ${before.ms.toFixed(0)} ms | ${before.heapMB.toFixed(0)} MB |`);
    console.log(`| now: ids streamed, leaking rows read, pairs by key | ${now.ms.toFixed(0)} ms | ${now.heapMB.toFixed(0)} MB |`);
    console.log(`ratio before / now: ${(before.ms / now.ms).toFixed(1)}× (load ${loadavg()[0].toFixed(1)})`);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
