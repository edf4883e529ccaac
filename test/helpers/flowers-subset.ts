// A small slice of the shared flowers photos with seeded made-up triplets (anchor and positive share a
// class), for tests that train for real but quickly. Test triplets reuse train images (importers must
// pass allowLeakage): the slice is too small for disjoint splits, and these tests are not about leakage.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { flowersDir } from './shared.js';

export interface FlowersSubsetOptions {
  perClass: number;
  seed: number;
  trainLines: number;
  testLines: number;
  /** Written first in the test file (a comment line shifts every test line number by one). */
  testHeader?: string;
}

/** Copies `perClass` photos per class under `root/images` and writes `root/train.txt` and `root/test.txt`. */
export function makeFlowersSubset(root: string, o: FlowersSubsetOptions): { images: string; train: string; test: string } {
  const rows = readFileSync(join(flowersDir(), 'classes.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const byClass = new Map<string, string[]>();
  for (const [file, cls] of rows) {
    const list = byClass.get(cls) ?? [];
    if (list.length < o.perClass) list.push(file);
    byClass.set(cls, list);
  }
  const images = join(root, 'images');
  for (const [cls, files] of byClass) {
    mkdirSync(join(images, cls), { recursive: true });
    for (const f of files) copyFileSync(join(flowersDir(), 'images', cls, f), join(images, cls, f));
  }
  let seed = o.seed;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const classes = [...byClass.keys()];
  const triplet = () => {
    const c = pick(classes);
    const [a, p] = [...byClass.get(c)!].sort(() => rand() - 0.5);
    const n = pick(byClass.get(pick(classes.filter((x) => x !== c)))!);
    return `${a} ${p} ${n}\n`;
  };
  const train = join(root, 'train.txt');
  const test = join(root, 'test.txt');
  writeFileSync(train, Array.from({ length: o.trainLines }, triplet).join(''));
  writeFileSync(test, (o.testHeader ?? '') + Array.from({ length: o.testLines }, triplet).join(''));
  return { images, train, test };
}

/**
 * Copies `count` more shared photos (none of the subset's) under `images/extra` and writes
 * `root/test-only.txt`: two test triplets of those photos only. Overwriting the returned files after
 * import leaves every one of those triplets without features.
 */
export function addTestOnlyPhotos(root: string, count = 3): { test: string; files: string[]; names: string[] } {
  const taken = new Set(readdirSync(join(root, 'images'), { recursive: true }).map((f) => basename(String(f))));
  const rows = readFileSync(join(flowersDir(), 'classes.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const extra = rows.filter(([file]) => /\.jpe?g$/i.test(file) && !taken.has(file)).slice(0, count);
  const dir = join(root, 'images', 'extra');
  mkdirSync(dir, { recursive: true });
  for (const [file, cls] of extra) copyFileSync(join(flowersDir(), 'images', cls, file), join(dir, file));
  const [a, b, c] = extra.map(([file]) => file);
  const test = join(root, 'test-only.txt');
  writeFileSync(test, `${a} ${b} ${c}\n${b} ${a} ${c}\n`);
  return { test, files: extra.map(([file]) => join(dir, file)), names: extra.map(([file]) => file) };
}
