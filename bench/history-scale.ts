// What a large triplet split and a long edit history cost the requests that run on every edit
// (`npm run bench -- history-scale`), each against the way it was read before 2026-12-08 (found by
// the scale review), in one run on the same store:
// - importing a file into the split it adds to: the check "was this image used in the split before
//   the import" per image of the file, three index lookups against one OR that walked the split;
// - listing the history (200 steps, as Review does after every edit): each step's first row and a
//   count, against every row of every step listed;
// - where a new triplet goes (nextSeq, on every create and move): migration 0019's seq_high against
//   reading every history row's JSON;
// - "fixes since run N" (Review, after every edit): history_at against a walk of history_triplet.
// HISTORY_SCALE_LINES (default 100,000) lines are imported into train over 10,000 images, then a
// second file of 20,000 lines, then fifty swaps; medians of 5 of each read. Old and new must agree.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project } from '../src/main/project/project.js';
import type { Db } from '../src/main/store/db.js';
import { stepHeadReader, stepIds, tripletsChangedSince } from '../src/main/store/history.js';
import { nextSeq, usedBeforeReader } from '../src/main/store/triplet-reads.js';

const LINES = Number(process.env.HISTORY_SCALE_LINES ?? 100_000);
const IMAGES = 10_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of 5 runs of `fn`, and what it returned the last time. */
function time<T>(fn: () => T): { ms: number; value: T } {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    value = fn();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), value };
}

/** A triplet file of `n` lines over the images, none repeated (seeded). */
function tripletFile(path: string, n: number, seed: number): void {
  // mulberry32 (an LCG in doubles loses bits past 2^53 and cycles short: the line set never filled).
  let s = seed;
  const rand = () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const seen = new Set<string>();
  const lines: string[] = [];
  while (lines.length < n) {
    const a = 1 + Math.floor(rand() * IMAGES);
    const p = 1 + ((a + 1 + Math.floor(rand() * 50)) % IMAGES);
    const q = 1 + ((a + 100 + Math.floor(rand() * 5000)) % IMAGES);
    const key = `${a} ${p} ${q}`;
    if (p === q || p === a || q === a || seen.has(key)) continue;
    seen.add(key);
    lines.push(`i${a}.jpg i${p}.jpg i${q}.jpg`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

// The reads as they were before 2026-12-08.
const oldUsedBefore = (db: Db, below: number) => {
  const st = db.prepare(`SELECT 1 FROM triplets WHERE split = ? AND status = 'active' AND id < ? AND (anchor_id = ? OR positive_id = ? OR negative_id = ?) LIMIT 1`);
  return (id: number) => st.get('train', below, id, id, id) !== undefined;
};
const oldHistoryPage = (db: Db) => {
  const steps = db.prepare('SELECT COALESCE(group_id, id) AS step FROM history GROUP BY step ORDER BY step DESC LIMIT 200').pluck().all() as number[];
  const rows = db.prepare('SELECT * FROM history WHERE id = ? OR group_id = ? ORDER BY id');
  return steps.map((s) => (rows.all(s, s) as unknown[]).length);
};
const oldNextSeq = (db: Db) =>
  (
    db
      .prepare(
        `SELECT MAX(COALESCE((SELECT MAX(seq) FROM triplets WHERE split = @split), 0),
                COALESCE((SELECT MAX(json_extract(before, '$.seq')) FROM history WHERE json_extract(before, '$.split') = @split), 0),
                COALESCE((SELECT MAX(json_extract(after, '$.seq')) FROM history WHERE json_extract(after, '$.split') = @split), 0)) AS m`,
      )
      .get({ split: 'train' }) as { m: number }
  ).m + 1;
const oldChangedSince = (db: Db, since: string) =>
  db
    .prepare(
      `SELECT COUNT(DISTINCT triplet_id) FROM history NOT INDEXED
       WHERE at >= @since AND undone = 0 AND undoable = 1 AND triplet_id IS NOT NULL
         AND (json_extract(before, '$.split') = @split OR json_extract(after, '$.split') = @split)`,
    )
    .pluck()
    .get({ since, split: 'train' }) as number;

function row(what: string, before: { ms: number }, now: { ms: number }): string {
  return `${what.padEnd(44)} | ${before.ms.toFixed(1).padStart(11)} | ${now.ms.toFixed(1).padStart(9)} | ${(before.ms / now.ms).toFixed(1).padStart(6)}×`;
}

export async function runHistoryScaleBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-bench-history-'));
  try {
    const p = Project.init(join(dir, 'project'));
    const ins = p.db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', '', '', 1, 1, 1, 0)`);
    p.db.transaction(() => {
      for (let i = 1; i <= IMAGES; i++) ins.run(`i${i}.jpg`, `i${i}.jpg`);
    })();
    const [first, second] = [join(dir, 'first.txt'), join(dir, 'second.txt')];
    tripletFile(first, LINES, 7);
    tripletFile(second, 20_000, 11);
    let t = performance.now();
    await p.importTriplets(first, 'train', { allowLeakage: true });
    const firstS = (performance.now() - t) / 1000;
    t = performance.now();
    const r = await p.importTriplets(second, 'train', { allowLeakage: true });
    const secondS = (performance.now() - t) / 1000;
    await new Promise((done) => setTimeout(done, 5)); // the store's times have millisecond steps
    const since = new Date().toISOString(); // a run trained now: the fifty edits below come after it
    for (let i = 1; i <= 50; i++) p.editTriplet(i, { kind: 'swap' }); // fifty small steps on top
    console.log(
      `history-scale: ${LINES.toLocaleString('en-US')} train lines over ${IMAGES.toLocaleString('en-US')} images imported in ${firstS.toFixed(1)} s; ` +
        `20,000 more into the same split in ${secondS.toFixed(1)} s (${r.added} added); load ${loadavg()[0].toFixed(1)}`,
    );
    console.log(`${'read'.padEnd(44)} | before (ms) | now (ms) | ratio`);

    // The per-image check of the second import: 1,000 of its images, below the second import's first id.
    const below = LINES + 1;
    const images = Array.from({ length: 1_000 }, (_, i) => 1 + ((i * 7919) % IMAGES));
    const oldCheck = oldUsedBefore(p.db, below);
    const before = time(() => images.filter((id) => oldCheck(id)).length);
    const now = time(() => {
      const check = usedBeforeReader(p.db, 'train', below); // memoised per reader: a fresh one per run
      return images.filter((id) => check(id)).length;
    });
    if (before.value !== now.value) throw new Error(`used-before disagrees: ${before.value} against ${now.value}`);
    console.log(row('used in the split before an import (1,000 images)', before, now));

    const hBefore = time(() => oldHistoryPage(p.db));
    const hNow = time(() => stepIds(p.db, 200, 0).map(stepHeadReader(p.db)).map((s) => s.count));
    if (JSON.stringify(hBefore.value) !== JSON.stringify(hNow.value)) throw new Error('the history pages disagree');
    console.log(row('history, 200 steps (rows per step)', hBefore, hNow));

    const sBefore = time(() => oldNextSeq(p.db));
    const sNow = time(() => nextSeq(p.db, 'train'));
    if (sBefore.value !== sNow.value) throw new Error(`nextSeq disagrees: ${sBefore.value} against ${sNow.value}`);
    console.log(row('next position in train (nextSeq)', sBefore, sNow));

    const cBefore = time(() => oldChangedSince(p.db, since));
    const cNow = time(() => tripletsChangedSince(p.db, since, 'train'));
    if (cBefore.value !== cNow.value) throw new Error(`changed-since disagrees: ${cBefore.value} against ${cNow.value}`);
    console.log(row('train triplets changed since (fixes since)', cBefore, cNow));
    p.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
