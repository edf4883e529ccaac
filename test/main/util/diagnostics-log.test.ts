// The diagnostics log: what an unexpected error leaves there (stack, who, where), what never goes
// there (our coded errors, cancellations, file-system errors on the user's paths, the browser-mode
// token), its bounds (size, rate) and that it never breaks the app; a crash is logged before the
// process ends, and ends it as before.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, mock, test } from 'node:test';
import { AppError, fileSystemError, isDiskFull, toIpcError } from '../../../src/shared/errors.js';
import { DiagnosticsLog, isUnexpected, logFileOf, redact, reportedError } from '../../../src/main/util/diagnostics-log.js';

const root = mkdtempSync(join(tmpdir(), 'ts-diag-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `data-${++n}`);

test('an unexpected error is written with its stack, source, pid and place; the file is private', () => {
  const dir = freshDir();
  const log = new DiagnosticsLog(dir, 'service');
  assert.equal(log.file, logFileOf(dir));
  assert.equal(existsSync(log.file), false, 'nothing is written before there is something to say');
  const err = new TypeError("Cannot read properties of undefined (reading 'rows')");
  log.error('request listTriplets', err);
  const text = readFileSync(log.file, 'utf8');
  assert.match(text, /^\d{4}-\d\d-\d\dT[\d:.]+Z ERROR service pid \d+ request listTriplets: TypeError: Cannot read properties of undefined \(reading 'rows'\)\n/);
  assert.match(text, /\n {2}\s+at .*diagnostics-log\.test\.ts/, 'the stack, indented under its entry');
  if (process.platform !== 'win32') assert.equal(statSync(log.file).mode & 0o777, 0o600);
});

test('which errors count as unexpected; the reply names the log only for those', () => {
  const dir = freshDir();
  const log = new DiagnosticsLog(dir, 'service');
  const bug = reportedError(new RangeError('Invalid array length'), 'job train', log);
  assert.deepEqual(bug, { code: 'INTERNAL', message: 'Invalid array length', details: { log: log.file } });
  const coded = reportedError(new AppError('NOT_FOUND', 'No such run.'), 'request evaluate', log);
  assert.deepEqual(coded, { code: 'NOT_FOUND', message: 'No such run.' });
  const aborted = reportedError(new DOMException('The operation was aborted.', 'AbortError'), 'job audit', log);
  assert.equal(aborted.code, 'CANCELLED');
  const fsErr = Object.assign(new Error("ENOTDIR: not a directory, open '/tmp/a-file/out.csv'"), { code: 'ENOTDIR', syscall: 'open', path: '/tmp/a-file/out.csv' });
  const fsReply = reportedError(fsErr, 'job export', log);
  assert.equal(fsReply.code, 'BAD_ARGUMENTS');
  assert.equal(fsReply.message, '/tmp/a-file/out.csv: a part of this path is a file, not a folder.');
  assert.equal(isUnexpected(fsErr), false);
  assert.equal(isUnexpected('a string thrown'), true);
  // A job's error fails the request that waited for it too: the same error is written once.
  const jobError = new TypeError('job and request');
  assert.deepEqual(reportedError(jobError, 'job export', log).details, { log: log.file });
  assert.deepEqual(reportedError(jobError, 'request exportRun', log).details, { log: log.file });
  const entries = readFileSync(log.file, 'utf8').match(/ ERROR /g) ?? [];
  assert.equal(entries.length, 2, 'the RangeError, and the job error once');
  assert.equal(reportedError(new Error('x'), 'request y', undefined).details, undefined, 'no log: no note');
});

test('file-system errors in plain words, with the path; other errors are left alone', () => {
  const e = (code: string, syscall: string, path = '/data/x') => Object.assign(new Error(`${code}: raw`), { code, syscall, path });
  assert.equal(fileSystemError(e('EEXIST', 'mkdir', '/tmp/afile'))?.message, 'Cannot make the folder /tmp/afile: a file of that name is in the way.');
  assert.equal(fileSystemError(e('EACCES', 'open'))?.code, 'FORBIDDEN');
  assert.equal(fileSystemError(e('ENOSPC', 'write'))?.message, 'The disk is full: /data/x could not be written. Free some space and try again.');
  assert.equal(fileSystemError(e('EDQUOT', 'write'))?.code, 'DISK_FULL');
  assert.equal(fileSystemError(e('ENOENT', 'open'))?.code, 'NOT_FOUND');
  assert.equal(fileSystemError(e('EMFILE', 'open')), null, 'too many open files is ours to fix');
  assert.equal(fileSystemError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' })), null);
  assert.equal(toIpcError(e('EROFS', 'open')).message, '/data/x is on a read-only drive.');
  // A request that met its project closed was stopped, not broken.
  const closed = new TypeError('The database connection is not open');
  assert.deepEqual(toIpcError(closed), { code: 'CANCELLED', message: 'Stopped: the project was closed before this finished.' });
  assert.equal(isUnexpected(closed), false);
  assert.equal(isUnexpected(new TypeError('x is not a function')), true);
});

test('a full disk is said as one however it was met, and is not logged as a bug', () => {
  const sqlite = (code: string) => Object.assign(new Error('database or disk is full'), { name: 'SqliteError', code });
  const full = toIpcError(sqlite('SQLITE_FULL'));
  assert.equal(full.code, 'DISK_FULL');
  assert.match(full.message, /^The disk holding the project is full, so the last change was not saved .*Free some space and try again\.$/);
  assert.equal(isUnexpected(sqlite('SQLITE_FULL')), false);
  assert.equal(toIpcError(sqlite('SQLITE_READONLY_DBMOVED')).code, 'FORBIDDEN');
  assert.equal(isUnexpected(sqlite('SQLITE_CORRUPT')), true, 'a damaged file met mid-request is logged (check.ts says it at open)');
  // A drive's I/O error (failing, disconnected) is the machine's, not a bug: said, not logged.
  const drive = toIpcError(Object.assign(sqlite('SQLITE_IOERR_WRITE'), { message: 'disk I/O error' }));
  assert.equal(drive.code, 'DRIVE_ERROR');
  assert.match(drive.message, /^The drive holding the project reported an error \(SQLite: disk I\/O error\), so the last change was not saved/);
  assert.equal(isUnexpected(sqlite('SQLITE_IOERR_FSYNC')), false);
  assert.equal(fileSystemError(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write', path: '/media/stick/out.csv' }))?.code, 'DRIVE_ERROR');
  assert.equal(isUnexpected(sqlite('SQLITE_ERROR')), true);
  // A write's ENOSPC has no path; sharp says it in libvips' words.
  assert.equal(toIpcError(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' })).code, 'DISK_FULL');
  assert.equal(toIpcError(new Error('VipsForeignSaveWebp: unable to write to target: No space left on device')).code, 'DISK_FULL');
  assert.equal(isDiskFull(new Error('unsupported image format')), false);
  assert.equal(isDiskFull(null), false);
});

test("browser mode's token never reaches the log", () => {
  const dir = freshDir();
  const log = new DiagnosticsLog(dir, 'browser mode');
  const token = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG0';
  assert.equal(redact(`GET /?token=${token}&x=1`), 'GET /?token=[redacted]&x=1');
  log.error(`GET /?token=${token} failed`, new Error(`bad url /#token=${token}`));
  log.info(`opened http://127.0.0.1:5173/?TOKEN=${token}`);
  const text = readFileSync(log.file, 'utf8');
  assert.equal(text.includes(token), false);
  assert.equal((text.match(/\[redacted\]/g) ?? []).length, 3);
});

test('bounded: a full log moves aside (one older file kept); a huge entry is cut', () => {
  const dir = freshDir();
  const cap = 4_000;
  const log = new DiagnosticsLog(dir, 'service', cap);
  for (let i = 0; i < 40; i++) log.info(`entry ${i} ${'x'.repeat(200)}`);
  const older = log.file.replace(/\.log$/, '.1.log');
  assert.ok(existsSync(older), 'rotated');
  assert.ok(statSync(log.file).size <= cap && statSync(older).size <= cap, 'each file under the cap');
  assert.match(readFileSync(log.file, 'utf8'), /entry 39 /, 'the newest entry is in the log itself');
  log.error('request similar', new Error('y'.repeat(50_000)));
  const last = readFileSync(log.file, 'utf8');
  assert.ok(last.length < 20_000, `cut (${last.length} characters)`);
  assert.match(last, /more characters cut\]/);
});

test('at most 60 entries a minute; the ones left out are counted in the next entry', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-12-06T12:00:00Z') });
  const dir = freshDir();
  const log = new DiagnosticsLog(dir, 'renderer');
  for (let i = 0; i < 75; i++) log.error('renderer (error)', new Error(`loop ${i}`));
  assert.equal((readFileSync(log.file, 'utf8').match(/ ERROR /g) ?? []).length, 60);
  t.mock.timers.tick(60_000);
  log.error('renderer (error)', new Error('after a minute'));
  const text = readFileSync(log.file, 'utf8');
  assert.match(text, /after a minute[\s\S]*\(15 earlier entries of this renderer were left out/);
  assert.match(text, /^2026-12-06T12:01:00\.000Z ERROR renderer/m, "the entry's time");
  mock.timers.reset();
});

test('a log that cannot be written never throws', () => {
  const blocker = join(root, 'not-a-folder');
  writeFileSync(blocker, 'x');
  const log = new DiagnosticsLog(blocker, 'service'); // <file>/logs cannot be made
  assert.doesNotThrow(() => log.error('request x', new Error('y')));
  assert.doesNotThrow(() => log.info('start'));
});

test('a crash (uncaught exception, unhandled rejection) is logged, and still ends the process with an error', () => {
  const moduleUrl = new URL('../../../src/main/util/diagnostics-log.ts', import.meta.url).href;
  for (const [kind, code] of [
    ['uncaughtException', "setTimeout(() => { throw new Error('boom in a timer'); }, 1);"],
    ['unhandledRejection', "Promise.reject(new Error('boom in a promise'));"],
  ] as const) {
    const dir = freshDir();
    const script = `import { DiagnosticsLog, logCrashes } from ${JSON.stringify(moduleUrl)};\nlogCrashes(new DiagnosticsLog(${JSON.stringify(dir)}, 'service'));\n${code}`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.notEqual(r.status, 0, `${kind}: the process still fails (${r.stderr.slice(0, 300)})`);
    const text = readFileSync(logFileOf(dir), 'utf8');
    assert.match(text, new RegExp(`ERROR service pid \\d+ crash \\(${kind}\\): Error: boom in a`));
    assert.match(text, /\n\s+at /, 'with its stack');
  }
});
