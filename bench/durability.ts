// Durability of a commit (`npm run bench -- durability`): the store in WAL mode with synchronous =
// NORMAL (a commit reaches the drive at the next checkpoint) against FULL (each commit waits for
// the drive: fsync of the WAL), on the folder the projects live in (TMPDIR; here an ext4 virtual
// disk). Per arm: 300 single triplet edits (one commit each, as the app's keys make them), the
// flowers photos imported (300 files, commits of 64), train.txt imported (1,200 lines, one
// commit), and 300 edits undone. Arms alternate twice; the second of each is reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project } from '../src/main/project/project.js';
import { flowersDir } from '../test/helpers/shared.js';

type Mode = 'NORMAL' | 'FULL';

const ms = async (fn: () => unknown): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

async function arm(root: string, mode: Mode, round: number): Promise<Record<string, number>> {
  const p = Project.init(join(root, `${mode}-${round}`));
  try {
    p.db.pragma(`synchronous = ${mode}`);
    const out: Record<string, number> = {};
    out.importImages = await ms(() => p.importImages(join(flowersDir(), 'images')));
    out.importTriplets = await ms(() => p.importTriplets(join(flowersDir(), 'train.txt'), 'train'));
    const ids = p.listTriplets({ limit: 300 }).items.map((t) => t.id);
    const edits: number[] = [];
    for (const id of ids) edits.push(await ms(() => p.editTriplet(id, { kind: 'swap' })));
    edits.sort((a, b) => a - b);
    out.editMedian = edits[edits.length >> 1];
    out.editP95 = edits[Math.floor(edits.length * 0.95)];
    out.edits300 = edits.reduce((s, x) => s + x, 0);
    out.undo300 = await ms(() => {
      for (let i = 0; i < 300; i++) p.undo();
    });
    return out;
  } finally {
    p.close();
  }
}

export async function runDurabilityBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ts-bench-durable-'));
  try {
    const last: Partial<Record<Mode, Record<string, number>>> = {};
    for (const round of [1, 2]) for (const mode of ['NORMAL', 'FULL'] as const) last[mode] = await arm(root, mode, round);
    const [n, f] = [last.NORMAL!, last.FULL!];
    console.log(`store folder: ${tmpdir()}`);
    console.log('| step | synchronous NORMAL | FULL | FULL ÷ NORMAL |');
    console.log('| --- | --- | --- | --- |');
    const rows: [string, string][] = [
      ['importImages', '300 photos imported (ms)'],
      ['importTriplets', '1,200 lines imported (ms)'],
      ['editMedian', 'one edit, median (ms)'],
      ['editP95', 'one edit, p95 (ms)'],
      ['edits300', '300 edits one after another (ms)'],
      ['undo300', '300 undos (ms)'],
    ];
    for (const [k, label] of rows) console.log(`| ${label} | ${n[k].toFixed(2)} | ${f[k].toFixed(2)} | ${(f[k] / n[k]).toFixed(2)}× |`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
