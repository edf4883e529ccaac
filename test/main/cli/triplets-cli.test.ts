// `import-triplets` through the real binary on generated files: capped output (1M bad lines once
// wrote 180 MB to stderr and --json repeated a 200 MB line), a loud leakage warning, exit codes.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openDb } from '../../../src/main/store/db.js';
import { repoRoot } from '../../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-cli-triplets-'));
const P = join(root, 'project');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'triplet-studio.js'), ...args],
      { env: { ...process.env, TRIPLET_STUDIO_DATA: join(root, 'data'), TRIPLET_STUDIO_DEBUG: '' }, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

before(() => initWithImages(P));

/** A project holding images a.jpg … d.jpg (rows without files: triplet import only needs names). */
async function initWithImages(P: string): Promise<void> {
  assert.equal((await cli('init', P)).code, 0);
  const db = openDb(join(P, 'project.sqlite'));
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  for (const name of ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']) ins.run(name, name, `/x/${name}`, name);
  db.close();
}

after(() => rmSync(root, { recursive: true, force: true }));

test('200k invalid lines with --skip-invalid: stderr lists 1,000 and counts the rest; --json is one capped document', async () => {
  const bad = join(root, 'bad.txt');
  const out = createWriteStream(bad);
  out.write('a.jpg b.jpg c.jpg\n');
  for (let i = 0; i < 200_000; i++) out.write(`a.jpg b.jpg missing-${i}.jpg\n`);
  await new Promise((r) => out.end(r));
  const refused = await cli('import-triplets', P, bad, '--split', 'train', '--json');
  assert.equal(refused.code, 1);
  const doc = JSON.parse(refused.stdout) as { error: { code: string; details: { report: { invalid: unknown[]; invalidCount: number } } } };
  assert.equal(doc.error.code, 'INVALID_FILE');
  assert.deepEqual([doc.error.details.report.invalid.length, doc.error.details.report.invalidCount], [1000, 200_000]);
  assert.ok(refused.stdout.length < 400_000, `--json error is ${refused.stdout.length} bytes`);
  assert.ok(refused.stderr.length < 5_000, `stderr is ${refused.stderr.length} bytes`);
  const r = await cli('import-triplets', P, bad, '--split', 'train', '--skip-invalid');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 added, 0 already present, 0 not added \(changed or contradicted since\), 200,000 invalid lines skipped/);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1001);
  assert.equal(lines.at(-1), '… and 199,000 more invalid lines');
});

test('a line repeated inside the file is kept and said, in words and in --json', async () => {
  const Q = join(root, 'repeats');
  await initWithImages(Q);
  const file = join(root, 'repeats.txt');
  writeFileSync(file, 'd.jpg a.jpg b.jpg\nd.jpg a.jpg b.jpg\nd.jpg a.jpg b.jpg\n');
  const r = await cli('import-triplets', Q, file, '--split', 'train');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Triplets \(train\): 3 added \(2 of them repeat an earlier line of the file, each kept\), 0 already present/);
  const again = await cli('import-triplets', Q, file, '--split', 'train', '--json');
  assert.deepEqual((({ added, duplicates, repeatedInFile }) => [added, duplicates, repeatedInFile])(JSON.parse(again.stdout) as Record<string, number>), [0, 3, 0]);
});

test('a train file imported as test: exit 1 with a leakage warning; --allow-leakage imports it, still warning', async () => {
  const train = join(root, 'train.txt');
  writeFileSync(train, 'b.jpg c.jpg d.jpg\n');
  assert.equal((await cli('import-triplets', P, train, '--split', 'train')).code, 0);
  const r = await cli('import-triplets', P, train, '--split', 'test');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /WARNING: train\/test leakage: 1 line of this test file repeats a train triplet/);
  assert.match(r.stderr, /train\.txt:1: leakage: same triplet as train triplet #\d+ from train\.txt:1/);
  const ok = await cli('import-triplets', P, train, '--split', 'test', '--allow-leakage', '--json');
  assert.equal(ok.code, 0);
  assert.deepEqual(JSON.parse(ok.stdout).leakage, {
    triplets: 1,
    sharedImages: 3,
    allowed: true,
    lines: [{ file: train, line: 1, text: 'b.jpg c.jpg d.jpg', triplet: JSON.parse(ok.stdout).leakage.lines[0].triplet, reason: 'same triplet as train triplet #2 from train.txt:1' }],
  });
  assert.match(ok.stderr, /WARNING: train\/test leakage in 1 line \(see "leakage" in the report\)/);
});

test('export-triplets never replaces an existing file without --force; the file stays as it was', async () => {
  const train = join(root, 'mine.txt');
  writeFileSync(train, 'a.jpg b.jpg c.jpg\n');
  assert.equal((await cli('import-triplets', P, train, '--split', 'train')).code, 0);
  const out = join(root, 'notes.txt');
  writeFileSync(out, 'my notes\n');
  const r = await cli('export-triplets', P, '--split', 'train', out);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `triplet-studio: ${out} exists; pass --force to replace it (nothing was written).\n`);
  assert.equal(readFileSync(out, 'utf8'), 'my notes\n');
  const forced = await cli('export-triplets', P, '--split', 'train', out, '--force', '--json');
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(out, 'utf8'), /^a\.jpg b\.jpg c\.jpg\n/m);
});

test('export-triplets never writes over the project database, even with --force; the labels stay', async () => {
  const before = await cli('triplets', P, '--json');
  const r = await cli('export-triplets', P, '--split', 'train', join(P, 'project.sqlite'), '--force', '--json');
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'FORBIDDEN');
  assert.match(r.stderr, /project\.sqlite is the project database \(every label and run\); an export never writes there/);
  assert.equal((await cli('check', P)).code, 0, 'the store is intact');
  assert.equal((await cli('triplets', P, '--json')).stdout, before.stdout);
});

test('export-triplets makes a missing folder; a file in the way is named in plain words (it was "database connection is busy")', async () => {
  const nested = join(root, 'new-folder', 'deeper', 'train.txt');
  const made = await cli('export-triplets', P, '--split', 'train', nested);
  assert.equal(made.code, 0, made.stderr);
  assert.match(readFileSync(nested, 'utf8'), /^a\.jpg b\.jpg c\.jpg\n/m);
  const blocker = join(root, 'a-file');
  writeFileSync(blocker, 'x');
  const r = await cli('export-triplets', P, '--split', 'train', join(blocker, 'train.txt'), '--json');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `triplet-studio: Cannot make the folder ${blocker}: a file of that name is in the way.\n`);
  assert.deepEqual(JSON.parse(r.stdout).error, { code: 'CONFLICT', message: `Cannot make the folder ${blocker}: a file of that name is in the way.`, details: { path: blocker, code: 'EEXIST', syscall: 'mkdir' } });
  assert.equal(existsSync(join(root, 'data', 'logs')), false, "the user's path is not a bug: nothing logged");
  assert.equal((await cli('check', P)).code, 0, 'the project closed cleanly');
});

test('output piped into a reader that stops early (`… --json | head`): the CLI stops quietly, no EPIPE stack', async () => {
  const db = openDb(join(P, 'project.sqlite'));
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, 'many', ?, ?, 1, 1, 1, 0)`);
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) ins.run(`many/img-${i}.jpg`, `img-${i}.jpg`, `/x/many/img-${i}.jpg`, `sha-many-${i}`);
  })();
  db.close();
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'triplet-studio.js'), 'images', P, '--json'], {
    env: { ...process.env, TRIPLET_STUDIO_DATA: join(root, 'data'), TRIPLET_STUDIO_DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b));
  // Like `head -c 100`: read the first chunk (far less than the 1 MB printout), then close the pipe.
  await new Promise<void>((r) => child.stdout.once('data', () => (child.stdout.destroy(), r())));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  assert.equal(stderr, '', 'nothing on stderr');
  assert.equal(code, 0);
});

test('names copied from a listing work as arguments: add takes the escaped form, stores the name, and the export imports again', async () => {
  const E = join(root, 'escaped');
  assert.equal((await cli('init', E)).code, 0);
  const db = openDb(join(E, 'project.sqlite'));
  const ins = db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`);
  for (const name of ['with space.jpg', '#hash.jpg', 'plain.jpg']) ins.run(name, name, `/x/${name}`, name);
  db.close();
  const added = await cli('add', E, 'with%20space.jpg', '%23hash.jpg', 'plain.jpg', '--split', 'train', '--json');
  assert.equal(added.code, 0, added.stderr);
  assert.deepEqual(JSON.parse(added.stdout).anchor, 'with space.jpg', 'the name is stored, not its escaped form');
  // The listing prints it as a file line would (escaped), so it can be copied into a command or a file.
  const listed = await cli('triplets', E);
  assert.match(listed.stdout, /with%20space\.jpg\s+%23hash\.jpg\s+plain\.jpg/);
  const out = join(root, 'escaped.txt');
  assert.equal((await cli('export-triplets', E, out, '--split', 'train')).code, 0);
  assert.equal(readFileSync(out, 'utf8'), 'with%20space.jpg %23hash.jpg plain.jpg\n');
  // The exported file imports again (into a fresh project): every name resolves.
  const F = join(root, 'escaped-again');
  assert.equal((await cli('init', F)).code, 0);
  const db2 = openDb(join(F, 'project.sqlite'));
  for (const name of ['with space.jpg', '#hash.jpg', 'plain.jpg']) db2.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms) VALUES (?, ?, '', ?, ?, 1, 1, 1, 0)`).run(name, name, `/x/${name}`, name);
  db2.close();
  const again = await cli('import-triplets', F, out, '--split', 'train', '--json');
  assert.equal(again.code, 0, again.stdout);
  assert.equal(JSON.parse(again.stdout).added, 1);
});
