// Bad-input corpus for the project store: a zero-byte, a foreign, a damaged, a read-only and a busy
// project.sqlite. Each case is generated here (no binaries committed) and asserts the exact outcome:
// the error code and message, and that a refused file is left byte for byte unchanged.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { AppError } from '../../src/shared/errors.js';
import { commitPersistently, WAITING_PHASE } from '../../src/main/project/commit.js';
import { DB_FILE, Project } from '../../src/main/project/project.js';
import { setWritableCheck } from '../../src/main/store/readonly.js';
import { repoRoot } from '../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-corpus-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

const HINT_NO_SNAPSHOT = 'To recover, close Triplet Studio, restore it from your backup; the run folders under models/ are kept.';
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'triplet-studio.js'), ...args], { env: { ...process.env, TRIPLET_STUDIO_DEBUG: '' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the project to be refused');
}

/** A small real project with some rows, closed cleanly (WAL checkpointed into the main file). */
function makeProject(name: string, rows = 0): string {
  const dir = join(root, name);
  const p = Project.init(dir);
  const ins = p.db.prepare('INSERT INTO history (triplet_id, action, before, after) VALUES (?, ?, ?, ?)');
  p.db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run(i, 'note', 'x'.repeat(300) + i, null);
  })();
  p.close();
  return dir;
}

test('zero-byte project.sqlite: refused (INVALID_FILE), named, with how to restore; left 0 bytes', async () => {
  const dir = join(root, 'zero');
  mkdirSync(dir);
  const file = join(dir, DB_FILE);
  writeFileSync(file, '');
  const err = refusal(() => Project.open(dir));
  assert.equal(err.code, 'INVALID_FILE');
  assert.equal(err.message, `${file} is empty (0 bytes), so it holds no project; it was left unchanged. ${HINT_NO_SNAPSHOT}`);
  const r = await cli('runs', dir, '--json');
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.stdout).error, { code: 'INVALID_FILE', message: err.message, details: { file } });
  assert.equal(statSync(file).size, 0);
  assert.ok(!existsSync(`${file}-wal`));
});

test("another program's SQLite file: refused and never modified, not even switched to WAL", async () => {
  const dir = join(root, 'foreign');
  mkdirSync(dir);
  const file = join(dir, DB_FILE);
  const other = new Database(file);
  other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES (\'mine\');');
  other.close();
  const before = sha(file);
  const message = `${file} is not a Triplet Studio project (another program's SQLite database: no images, triplets, runs, predictions, history tables); it was left unchanged. Move it away or choose another folder.`;
  const err = refusal(() => Project.open(dir));
  assert.deepEqual([err.code, err.message], ['INVALID_FILE', message]);
  for (const cmd of [['runs', dir], ['export-triplets', dir, '--split', 'test', join(root, 'out.txt')], ['check', dir]]) {
    const r = await cli(...cmd, '--json');
    assert.equal(r.code, 1, cmd.join(' '));
    assert.match(r.stdout, /is not a Triplet Studio project/);
  }
  assert.equal(sha(file), before);
  assert.ok(!existsSync(`${file}-wal`) && !existsSync(`${file}-shm`));
  const again = new Database(file, { readonly: true });
  assert.equal(again.pragma('journal_mode', { simple: true }), 'delete');
  again.close();
});

test("a file with another program's application id is refused from its header alone", () => {
  const dir = join(root, 'foreign-id');
  mkdirSync(dir);
  const file = join(dir, DB_FILE);
  const other = new Database(file);
  other.exec('PRAGMA application_id = 1196444487; CREATE TABLE images (id INTEGER)'); // 'GPKG'
  other.close();
  const before = sha(file);
  const err = refusal(() => Project.open(dir));
  assert.equal(err.message, `${file} is not a Triplet Studio project (its application id 0x47504b47 belongs to another program); it was left unchanged. Move it away or choose another folder.`);
  assert.equal(sha(file), before);
});

test('damaged pages in the middle: refused on open with the file named; check --full reports it', async () => {
  const good = makeProject('damaged-src', 600);
  const dir = join(root, 'damaged');
  mkdirSync(dir);
  const file = join(dir, DB_FILE);
  copyFileSync(join(good, DB_FILE), file);
  const pageSize = 4096;
  const pages = statSync(file).size / pageSize;
  assert.ok(pages > 20, `${pages} pages`);
  // Garbage over one page in the middle (a b-tree page of the history table).
  const fd = openSync(file, 'r+');
  const garbage = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i++) garbage[i] = (i * 131 + 7) & 0xff;
  writeSync(fd, garbage, 0, pageSize, Math.floor(pages / 2) * pageSize);
  closeSync(fd);
  const before = sha(file);
  const err = refusal(() => Project.open(dir));
  assert.equal(err.code, 'INVALID_FILE');
  assert.ok(err.message.startsWith(`${file} is damaged (`), err.message);
  assert.ok(err.message.endsWith(`); Triplet Studio will not open it. ${HINT_NO_SNAPSHOT}`), err.message);
  const r = await cli('check', dir, '--full', '--json');
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.deepEqual([report.ok, report.check, report.file], [false, 'integrity_check', file]);
  assert.ok(report.problems.length > 0);
  assert.equal(sha(file), before);
  const ok = await cli('check', good, '--json');
  assert.equal(ok.code, 0);
  assert.deepEqual(JSON.parse(ok.stdout).problems, []);
});

test('read-only project: opens for viewing and export; writes refused with a clear message; file unchanged', () => {
  const dir = makeProject('readonly');
  const file = join(dir, DB_FILE);
  const triplets = join(root, 'ro-test.txt');
  writeFileSync(triplets, '');
  const before = sha(file);
  const previous = setWritableCheck(() => false);
  try {
    const p = Project.open(dir);
    try {
      assert.equal(p.readOnly, true);
      assert.equal(p.info().readOnly, true);
      assert.deepEqual(p.runs(), []);
      assert.equal(p.listTriplets().total, 0);
      assert.deepEqual(p.exportTriplets('test', join(root, 'ro-export.txt')).count, 0);
      const err = refusal(() => p.importTriplets(triplets, 'test'));
      assert.deepEqual([err.code, err.message], ['FORBIDDEN', `Cannot import triplets: ${file} is read-only here, so the project is open for viewing and export only.`]);
    } finally {
      p.close();
    }
  } finally {
    setWritableCheck(previous);
  }
  assert.equal(sha(file), before);
});

test('read-only folder for a real other user (setpriv nobody): runs and export work, import is refused', { skip: process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv') ? 'needs root and setpriv' : false }, async () => {
  const dir = makeProject('readonly-nobody');
  rmSync(join(dir, `${DB_FILE}-wal`), { force: true });
  rmSync(join(dir, `${DB_FILE}-shm`), { force: true });
  chmodSync(root, 0o755);
  chmodSync(dir, 0o755);
  const outDir = mkdtempSync(join(tmpdir(), 'ts-corpus-out-'));
  chmodSync(outDir, 0o777);
  const asNobody = (...args: string[]) =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, join(repoRoot, 'bin', 'triplet-studio.js'), ...args], {
        env: { ...process.env, HOME: outDir, TRIPLET_STUDIO_DEBUG: '' },
      });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
    });
  try {
    const before = sha(join(dir, DB_FILE));
    const runs = await asNobody('runs', dir, '--json');
    assert.equal(runs.code, 0, runs.stdout);
    assert.deepEqual(JSON.parse(runs.stdout), []);
    const exported = await asNobody('export-triplets', dir, '--split', 'train', join(outDir, 'train.txt'), '--json');
    assert.equal(exported.code, 0, exported.stdout);
    const refused = await asNobody('import-triplets', dir, '/dev/null', '--split', 'train', '--json');
    assert.equal(refused.code, 1);
    assert.equal(JSON.parse(refused.stdout).error.code, 'FORBIDDEN');
    assert.equal(sha(join(dir, DB_FILE)), before);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('busy: a commit waits (reporting it) while another process holds the write lock, then succeeds', async () => {
  const dir = makeProject('busy');
  const file = join(dir, DB_FILE);
  const holder = spawn(
    process.execPath,
    ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(file)});d.exec('BEGIN IMMEDIATE');process.stdout.write('locked\\n');setTimeout(()=>{d.exec('COMMIT');d.close();process.exit(0)},1500)`],
    { cwd: repoRoot },
  );
  await new Promise<void>((resolve) => holder.stdout.on('data', (d) => String(d).includes('locked') && resolve()));
  const p = Project.open(dir);
  try {
    const phases: string[] = [];
    const t0 = Date.now();
    await commitPersistently(p.db, () => p.db.prepare(`INSERT INTO history (triplet_id, action) VALUES (1, 'busy-test')`).run(), {
      onProgress: (pr) => phases.push(pr.phase),
    });
    assert.ok(Date.now() - t0 >= 1000, 'waited for the lock');
    assert.ok(phases.length > 0 && phases.every((ph) => ph === WAITING_PHASE));
    assert.equal(p.db.prepare(`SELECT COUNT(*) FROM history WHERE action = 'busy-test'`).pluck().get(), 1);
  } finally {
    p.close();
    holder.kill();
  }
});

test('busy for longer than the timeout: a CLI write stops with BUSY and a clear message, the store unchanged', { timeout: 60_000 }, async () => {
  const dir = makeProject('busy-cli');
  const file = join(dir, DB_FILE);
  const holder = spawn(
    process.execPath,
    ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(file)});d.exec('BEGIN IMMEDIATE');process.stdout.write('locked\\n');setTimeout(()=>{d.exec('ROLLBACK');d.close();process.exit(0)},20000)`],
    { cwd: repoRoot },
  );
  try {
    await new Promise<void>((resolve) => holder.stdout.on('data', (d) => String(d).includes('locked') && resolve()));
    const lines = join(root, 'busy.txt');
    writeFileSync(lines, '');
    const r = await cli('import-triplets', dir, lines, '--split', 'train', '--json');
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout).error, {
      code: 'BUSY',
      message:
        'The project is busy: another process (the app or another command) has been writing to it for more than 5 s, so this command stopped (each of its writes is all or nothing). Run it again when the other one is done.',
    });
  } finally {
    holder.kill();
  }
  const p = Project.open(dir);
  try {
    assert.equal(p.db.prepare('SELECT COUNT(*) FROM triplet_files').pluck().get(), 0);
  } finally {
    p.close();
  }
});
