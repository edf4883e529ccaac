// Image import throughput (hash + decode + 256-px webp thumbnail + batched DB writes) on the flowers
// folder, at 1 vs 2 vs 4 files in flight. Each configuration imports into a fresh project. Then what
// refusing a large file that is no image costs (a video beside the photos): its first bytes
// (images/sniff.ts, what the import does) against reading it whole for sharp to refuse (before).
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { importImages } from '../src/main/images/import.js';
import { importable, readHead } from '../src/main/images/sniff.js';
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
  await refusalBench();
}

/** Refusing a 500 MB MP4 (sparse, so the page cache serves it as a read of a video just written would be). */
async function refusalBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-bench-sniff-'));
  const video = join(dir, 'MVI_0001.MP4');
  const head = Buffer.alloc(32);
  head.writeUInt32BE(24, 0);
  head.write('ftypisom\0\0\0\0isommp41', 4, 'latin1');
  writeFileSync(video, head);
  truncateSync(video, 500 * 2 ** 20);
  const arms = {
    'first bytes (sniff.ts)': async () => importable(await readHead(video)),
    'read whole + sharp': async () => {
      const buf = await readFile(video);
      return sharp(buf).metadata().then(() => true, () => false);
    },
  };
  // Buffer memory (arrayBuffers), not RSS: freed pages stay in RSS, so the second arm would look free.
  const held = () => process.memoryUsage().arrayBuffers;
  const rows: { arm: string; ms: number; mb: number }[] = [];
  try {
    // Alternated, twice; the second of each is reported (the first warms the page cache and sharp).
    for (let round = 0; round < 2; round++) {
      for (const [arm, refuse] of Object.entries(arms)) {
        globalThis.gc?.();
        const before = held();
        let peak = before;
        const watch = setInterval(() => (peak = Math.max(peak, held())), 5);
        const t0 = performance.now();
        if (await refuse()) throw new Error(`${arm} took the video for an image`);
        const ms = performance.now() - t0;
        clearInterval(watch);
        peak = Math.max(peak, held());
        if (round === 1) rows.push({ arm, ms, mb: (peak - before) / 2 ** 20 });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nrefusing a 500 MB video   ms       peak buffer memory (MB)');
  for (const r of rows) console.log(`${r.arm.padEnd(24)}  ${r.ms.toFixed(2).padEnd(7)}  ${r.mb.toFixed(0)}`);
  console.log(`read whole ÷ first bytes: ${(rows[1].ms / rows[0].ms).toFixed(0)}× the time`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runImportBench();
