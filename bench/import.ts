// Image import throughput (hash + decode + 256-px webp thumbnail + batched DB writes) on the flowers
// folder, at 1 vs 2 vs 4 files in flight. Each configuration imports into a fresh project.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importImages } from '../src/main/images/import.js';
import { openDb } from '../src/main/store/db.js';
import { flowersDir } from '../test/helpers/shared.js';

export async function runImportBench(): Promise<void> {
  const folder = join(flowersDir(), 'images');
  if (!existsSync(folder)) {
    console.log(`import bench skipped: ${folder} not found (set TRIPLET_STUDIO_SHARED)`);
    return;
  }
  console.log(`import-images on ${folder} (${availableParallelism()} cores)`);
  const rows: { concurrency: number; images: number; seconds: number; rate: number }[] = [];
  for (const concurrency of [1, 2, 4]) {
    const dir = mkdtempSync(join(tmpdir(), 'ts-bench-import-'));
    const db = openDb(join(dir, 'project.sqlite'));
    try {
      const t0 = performance.now();
      const r = await importImages(db, dir, folder, { concurrency });
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ concurrency, images: r.added, seconds, rate: r.added / seconds });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const base = rows[0].rate;
  console.log('concurrency  images  seconds  images/s  vs 1');
  for (const r of rows) {
    console.log(
      `${String(r.concurrency).padEnd(11)}  ${String(r.images).padEnd(6)}  ${r.seconds.toFixed(2).padEnd(7)}  ${r.rate.toFixed(1).padEnd(8)}  ${(r.rate / base).toFixed(2)}×`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runImportBench();
