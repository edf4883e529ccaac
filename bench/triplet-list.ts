// The Triplets and Review lists page through the store as they scroll (`npm run bench -- triplet-list`):
// one page of 200 rows of a 100,000-triplet project, near the top, the middle and the end, unfiltered
// and filtered. Target (issue 9, "100,000 triplets stay smooth"): p95 < 50 ms a page, so a page
// lands within a few frames of the scroll that asked for it. The scroll itself is measured in the
// browser by test/e2e/lists-100k.spec.ts (frame times).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project } from '../src/main/project/project.js';

const N = 100_000;
const PAGE = 200;
const TARGET_P95_MS = 50;

function fill(p: Project): void {
  const db = p.db;
  const img = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', '', '', 1, 1, 1, 0)`);
  const tri = db.prepare(
    `INSERT INTO triplets (id, split, anchor_id, positive_id, negative_id, anchor_name, positive_name, negative_name, status, origin, line, seq)
     VALUES (?, ?, ?, ?, ?, 'a', 'p', 'n', ?, 'imported', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 1; i <= 1000; i++) img.run(`${i}.jpg`, `${i}.jpg`);
    for (let i = 1; i <= N; i++) {
      const split = i % 5 === 0 ? 'test' : 'train';
      tri.run(i, split, 1 + (i % 1000), 1 + ((i * 7 + 1) % 1000 === i % 1000 ? (i + 2) % 1000 : (i * 7 + 1) % 1000), 1 + ((i * 13 + 5) % 1000 === i % 1000 || (i * 13 + 5) % 1000 === (i * 7 + 1) % 1000 ? (i + 500) % 1000 : (i * 13 + 5) % 1000), i % 50 === 0 ? 'excluded' : 'active', i, i);
    }
  })();
}

export async function runTripletListBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-bench-list-'));
  try {
    const p = Project.init(join(dir, 'p'));
    fill(p);
    const rows: string[][] = [];
    for (const [label, q] of [
      ['all', {}],
      ['train', { split: 'train' as const }],
      ['excluded', { status: 'excluded' as const }],
      ['image 7', { imageId: 7 }],
    ] as const) {
      const total = p.listTriplets(q).total;
      for (const at of [0, 0.5, 1]) {
        const offset = Math.max(0, Math.floor(total * at) - PAGE);
        const times: number[] = [];
        for (let r = 0; r < 15; r++) {
          const t0 = performance.now();
          p.listTriplets({ ...q, offset, limit: PAGE });
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        const p95 = times[Math.floor(times.length * 0.95)];
        rows.push([label, String(total), String(offset), times[Math.floor(times.length / 2)].toFixed(1), p95.toFixed(1), p95 < TARGET_P95_MS ? 'ok' : 'SLOW']);
      }
    }
    p.close();
    console.log(`listTriplets, ${PAGE} rows a page, ${N.toLocaleString('en')} triplets (target p95 < ${TARGET_P95_MS} ms)`);
    console.log(['filter', 'matches', 'offset', 'median ms', 'p95 ms', ''].join('\t'));
    for (const r of rows) console.log(r.join('\t'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
