// Bad-input corpus, features and backbones: an image that became undecodable (or vanished) after
// import is reported by the run as left out, with the triplets it took out of training and scoring;
// a backbone folder whose model.json names shard paths outside itself is refused with a message and
// nothing is installed. Inputs are generated here (no committed binaries).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { RunSummary } from '../../src/shared/types.js';
import { acquireBackbone } from '../../src/main/ml/backbone/acquire/index.js';
import { Project } from '../../src/main/project/project.js';
import { flowersDir, repoRoot, sharedModelsDir, skipWithoutBackbone, skipWithoutShared } from '../helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const root = mkdtempSync(join(tmpdir(), 'ts-corpus-features-'));
after(() => rmSync(root, { recursive: true, force: true }));
const bin = join(repoRoot, 'bin', 'triplet-studio.js');

describe('an image that cannot be decoded any more', { skip: skipWithoutBackbone(BACKBONE) }, () => {
  const dir = join(root, 'project');
  const env = { ...process.env, TRIPLET_STUDIO_BACKBONES: sharedModelsDir(), TRIPLET_STUDIO_DATA: join(root, 'data') };
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });

  test('is listed as left out with its reason and the train/test triplets it took out', async () => {
    const images = join(root, 'images');
    mkdirSync(images);
    const pick = (cls: string, n: number) => readdirSync(join(flowersDir(), 'images', cls)).sort().slice(0, n).map((f) => join(flowersDir(), 'images', cls, f));
    const [d0, d1, d2, d3] = pick('daisy', 4);
    const [r0, r1, r2, r3] = pick('roses', 4);
    Object.entries({ d0, d1, d2, r0, r1, r2, bad: d3, gone: r3 }).forEach(([n, p]) => copyFileSync(p, join(images, `${n}.jpg`)));
    writeFileSync(join(root, 'train.txt'), ['d0 d1 r0', 'd1 d2 r1', 'bad d0 r2', 'r0 r1 gone', 'r1 r2 d0', 'd2 d0 r2', 'r2 r0 d1'].map((l) => l.replace(/(\w+)/g, '$1.jpg')).join('\n') + '\n');
    writeFileSync(join(root, 'test.txt'), ['d0 d2 r1', 'r0 r2 bad', 'r2 r1 d1'].map((l) => l.replace(/(\w+)/g, '$1.jpg')).join('\n') + '\n');
    const project = Project.init(dir);
    let ids: Record<string, number>;
    let tripletIds: { train: number[]; test: number[] };
    try {
      assert.equal((await project.importImages(images)).added, 8);
      await project.importTriplets(join(root, 'train.txt'), 'train');
      // Small made-up set: the test triplets reuse train images (leakage, allowed here on purpose).
      await project.importTriplets(join(root, 'test.txt'), 'test', { allowLeakage: true });
      ids = Object.fromEntries((project.db.prepare('SELECT name, id FROM images').all() as { name: string; id: number }[]).map((r) => [r.name, r.id]));
      const of = (split: string) => project.db.prepare('SELECT id FROM triplets WHERE split = ? ORDER BY seq').pluck().all(split) as number[];
      tripletIds = { train: of('train'), test: of('test') };
    } finally {
      project.close();
    }
    // After import: one file damaged, one deleted.
    writeFileSync(join(images, 'bad.jpg'), 'this is not a JPEG any more');
    unlinkSync(join(images, 'gone.jpg'));

    const text = cli('train', dir, '--epochs', '2', '--seed', '1');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Left out: 2 train and 1 test triplets could not be used \(2 images without features: 1 undecodable, 1 missing file\)\./);
    assert.match(text.stdout, /bad\.jpg: undecodable/);
    assert.match(text.stdout, /gone\.jpg: missing file/);

    const runs = JSON.parse(cli('runs', dir, '--json').stdout) as RunSummary[];
    const run = runs.at(-1)!;
    assert.equal(run.status, 'finished');
    assert.equal(run.testCount, 2, 'the test triplet using bad.jpg is not scored');
    const l = run.leftOut!;
    assert.deepEqual(
      l.images.map(({ id, name, reason }) => ({ id, name, reason })),
      [
        { id: ids!['bad.jpg'], name: 'bad.jpg', reason: 'undecodable' },
        { id: ids!['gone.jpg'], name: 'gone.jpg', reason: 'missing file' },
      ],
    );
    assert.match(l.images[0].detail!, /bad\.jpg/);
    assert.deepEqual([l.imageCount, l.trainCount, l.testCount], [2, 2, 1]);
    assert.deepEqual(l.train, [{ id: tripletIds!.train[2], line: 3 }, { id: tripletIds!.train[3], line: 4 }]);
    assert.deepEqual(l.test, [{ id: tripletIds!.test[1], line: 2 }]);
    assert.match(run.preprocessing!, /^(antialias|keras-nearest)-v1$/);

    const table = cli('runs', dir);
    assert.match(table.stdout, /\b2\/1\b/, 'the runs table shows train/test triplets left out');
  });

  test('when no train triplet is usable, the run fails saying why and keeps the record', async () => {
    const images = join(root, 'images2');
    mkdirSync(images);
    const daisy = join(flowersDir(), 'images', 'daisy');
    const [a, b, c] = readdirSync(daisy).sort().slice(0, 3);
    copyFileSync(join(daisy, a), join(images, 'a.jpg'));
    copyFileSync(join(daisy, b), join(images, 'b.jpg'));
    copyFileSync(join(daisy, c), join(images, 'broken.jpg'));
    writeFileSync(join(root, 'train2.txt'), 'broken.jpg a.jpg b.jpg\n');
    const saved = process.env.TRIPLET_STUDIO_BACKBONES;
    process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
    const project = Project.init(join(root, 'project2'));
    try {
      await project.importImages(images);
      await project.importTriplets(join(root, 'train2.txt'), 'train');
      writeFileSync(join(images, 'broken.jpg'), Buffer.alloc(64, 0xff));
      await assert.rejects(project.train({ epochs: 1 }), {
        code: 'BAD_ARGUMENTS',
        message:
          'None of the 1 train triplets can be used. Left out: 1 train and 0 test triplets could not be used (1 image without features: 1 undecodable).',
      });
      const run = project.runs().at(-1)!;
      assert.equal(run.status, 'failed');
      assert.deepEqual([run.leftOut!.imageCount, run.leftOut!.images[0].name, run.leftOut!.trainCount], [1, 'broken.jpg', 1]);
    } finally {
      project.close();
      if (saved === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
      else process.env.TRIPLET_STUDIO_BACKBONES = saved;
    }
  });
});

describe('a backbone folder whose model.json points outside itself', { skip: skipWithoutShared() }, () => {
  const backbones = join(root, 'backbones');
  const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;
  after(() => {
    if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
    else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  });

  /** A layers folder whose one weights group names `path` (8 bytes of float32 weights expected). */
  function folder(name: string, path: string): string {
    const dir = join(root, 'evil', name);
    mkdirSync(dir, { recursive: true });
    const manifest = [{ paths: [path], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }];
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: manifest }));
    return dir;
  }

  const secret = join(root, 'secret.bin');
  writeFileSync(secret, Buffer.alloc(8, 7));
  const cases: [string, string, string][] = [
    ['dotdot', '../../secret.bin', '".." in the path'],
    ['nested-dotdot', 'shards/../../../secret.bin', '".." in the path'],
    ['absolute', secret, 'absolute path'],
    ['symlink', 'link.bin', 'a symlink that leads outside the folder'],
  ];

  for (const [name, path, why] of cases) {
    test(`${name}: refused with the path and the reason, nothing installed`, async () => {
      process.env.TRIPLET_STUDIO_BACKBONES = backbones;
      const dir = folder(name, path);
      if (name === 'symlink') symlinkSync(secret, join(dir, 'link.bin'));
      await assert.rejects(acquireBackbone(BACKBONE, { from: dir, prepareOnnx: false }), {
        code: 'INVALID_FILE',
        message: `${dir}: refusing shard path ${JSON.stringify(path)}: ${why}; nothing was installed.`,
      });
      assert.equal(existsSync(join(backbones, BACKBONE)), false);
      assert.deepEqual(readdirSync(backbones).filter((n) => !n.startsWith('.downloads')), [], 'no install folder left behind');
    });
  }

  test('the CLI says the same and exits 1', () => {
    const dir = folder('cli', '../secret.bin');
    const r = spawnSync(process.execPath, [bin, 'fetch-backbone', BACKBONE, '--from', dir], {
      env: { ...process.env, TRIPLET_STUDIO_BACKBONES: backbones },
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /refusing shard path "\.\.\/secret\.bin": "\.\." in the path; nothing was installed\./);
  });

  test('a symlinked shard that stays inside the folder is accepted', async () => {
    process.env.TRIPLET_STUDIO_BACKBONES = backbones;
    const dir = folder('inside-link', 'link.bin');
    writeFileSync(join(dir, 'real.bin'), Buffer.alloc(8, 1));
    symlinkSync(join(dir, 'real.bin'), join(dir, 'link.bin'));
    const r = await acquireBackbone(BACKBONE, { from: dir, prepareOnnx: false });
    assert.equal(r.source, 'folder');
    rmSync(join(backbones, BACKBONE), { recursive: true, force: true });
  });
});
