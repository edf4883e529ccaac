// A small trained project for the list, review and layout specs: 30 shared flower photos, 80 train
// and 40 test triplets (made up from the classes; the test file starts with a comment line so its
// line numbers differ from the triplet ids), and one short MobileNet run. Built once per process
// with the real CLI, then copied for each test, so every test starts from the same project.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { cliRunner } from '../../helpers/cli.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { sharedModelsDir } from '../../helpers/shared.js';
import { expect, typePath } from '../fixtures.js';

export interface SmallProject {
  dir: string;
  train: string;
  test: string;
}

let built: Promise<SmallProject> | null = null;

async function build(trainRun: boolean): Promise<SmallProject> {
  const root = mkdtempSync(join(tmpdir(), 'ts-e2e-small-'));
  const data = makeFlowersSubset(join(root, 'data'), { perClass: 6, seed: 3, trainLines: 80, testLines: 40, testHeader: '# held-out triplets\n' });
  // Every third test line with positive and negative the wrong way round: mistakes to review.
  const lines = readFileSync(data.test, 'utf8').split('\n');
  const heldOut = join(root, 'data', 'held-out.txt'); // not "test.txt": Review must name the real file
  writeFileSync(heldOut, lines.map((l, i) => (i > 0 && i % 3 === 0 && l ? l.split(' ').map((w, j, a) => (j === 1 ? a[2] : j === 2 ? a[1] : w)).join(' ') : l)).join('\n'));
  const cli = cliRunner(join(root, 'appdata'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const dir = join(root, 'flowers-project');
  const steps = [
    ['init', dir],
    ['import-images', dir, data.images],
    ['import-triplets', dir, data.train, '--split', 'train'],
    ['import-triplets', dir, heldOut, '--split', 'test', '--allow-leakage'],
    ...(trainRun ? [['train', dir, '--epochs', '2', '--seed', '1']] : []),
  ];
  for (const args of steps) {
    const r = await cli(...args);
    if (r.code !== 0) throw new Error(`triplet-studio ${args.join(' ')} failed:\n${r.stderr}`);
  }
  return { dir, train: data.train, test: heldOut };
}

/** A fresh copy of the small trained project at `target` (a folder that does not exist yet). */
export async function smallProject(target: string): Promise<SmallProject> {
  built ??= build(true);
  const src = await built;
  if (existsSync(target)) throw new Error(`${target} exists`);
  mkdirSync(join(target, '..'), { recursive: true });
  cpSync(src.dir, target, { recursive: true });
  return { ...src, dir: target };
}

/** Opens a project folder through the Projects view; the Library shows. */
export async function openProject(page: Page, dir: string): Promise<void> {
  await page.getByTestId('open-project').click();
  await typePath(page, dir);
  await expect(page.getByTestId('view-library')).toBeVisible();
}

/** Writes `lines` triplet lines into a file beside `dir` and returns its path. */
export function tripletFile(dir: string, name: string, lines: string[]): string {
  const file = join(dir, '..', name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
