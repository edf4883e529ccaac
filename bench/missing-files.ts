// "Show every missing file" and `images --missing` (`npm run bench -- missing-files`): every image's
// path read at once and checked in one go in the service's thread, as before, against the check read a
// page at a time and run in slices of about 15 ms that yield between them (images/file-state.ts), on
// 100,000 images of which every tenth file is gone, on this machine's local disk. Besides the total
// time it reports the longest time the thread was held (the largest gap between ticks of a 1 ms
// timer): what another request waits at worst meanwhile.
// Arms alternate, twice each; the second of each is reported. A network drive is not measured here.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingImageIds } from '../src/main/images/file-state.js';
import { Project } from '../src/main/project/project.js';

const N = 100_000;

/** The check as it was before 2026-12-06: every path read at once, then checked one after another. */
function missingIdsAtOnce(p: Project): number[] {
  const rows = p.db.prepare('SELECT id, abs_path FROM images ORDER BY name').all() as { id: number; abs_path: string }[];
  return rows.filter((r) => !existsSync(r.abs_path)).map((r) => r.id);
}

/** A project of N images whose files are empty files under `files/`, every tenth deleted. */
function makeProject(root: string): Project {
  const files = join(root, 'files');
  const p = Project.init(join(root, 'project'));
  const img = p.db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms, thumb) VALUES (?, ?, 'f', ?, ?, 1, 1, 1, 0, ?)`);
  p.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      const dir = join(files, String(i % 100));
      if (i < 100) mkdirSync(dir, { recursive: true });
      const path = join(dir, `${i}.jpg`);
      if (i % 10 !== 0) writeFileSync(path, '');
      img.run(`f/${i}.jpg`, `${i}.jpg`, path, `h${i}`, `thumbs/h${i}.webp`);
    }
  })();
  return p;
}

/** Runs `fn` while a 1 ms timer ticks; the time and the longest gap between ticks (ms). */
async function measure(fn: () => unknown): Promise<{ seconds: number; heldMs: number; missing: number }> {
  let last = performance.now();
  let held = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    held = Math.max(held, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  const started = performance.now();
  last = started;
  const ids = (await fn()) as number[];
  const seconds = (performance.now() - started) / 1000;
  held = Math.max(held, performance.now() - last);
  clearInterval(timer);
  return { seconds, heldMs: held, missing: ids.length };
}

export async function runMissingFilesBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ts-bench-missing-'));
  try {
    const p = makeProject(root);
    const arms = { 'at once': () => missingIdsAtOnce(p), sliced: () => missingImageIds(p.db) };
    const last: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (let round = 0; round < 2; round++) for (const [name, fn] of Object.entries(arms)) last[name] = await measure(fn);
    p.close();
    console.log(`${N.toLocaleString('en')} images, every tenth file gone (local disk):`);
    console.log('| check | time | longest hold of the thread | missing found |');
    console.log('| --- | --- | --- | --- |');
    for (const [name, r] of Object.entries(last)) console.log(`| ${name} | ${r.seconds.toFixed(2)} s | ${r.heldMs.toFixed(0)} ms | ${r.missing.toLocaleString('en')} |`);
    console.log(`time sliced ÷ at once: ${(last.sliced.seconds / last['at once'].seconds).toFixed(2)}; longest hold at once ÷ sliced: ${(last['at once'].heldMs / last.sliced.heldMs).toFixed(0)}×`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
