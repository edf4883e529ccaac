// How the CLI reports a failure: a bug (anything but our coded errors and the user's file-system
// errors) leaves its stack in the diagnostics log, and the message says where; --json carries the file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AppError } from '../../../src/shared/errors.js';
import { reportError } from '../../../src/main/cli/output.js';

const root = mkdtempSync(join(tmpdir(), 'ts-cli-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs `fn` with stdout and stderr captured (and TRIPLET_STUDIO_DATA set to a fresh folder). */
function captured(fn: () => void): { stdout: string; stderr: string; data: string } {
  const data = mkdtempSync(join(root, 'data-'));
  const out: string[] = [];
  const err: string[] = [];
  const [w1, w2, env] = [process.stdout.write, process.stderr.write, { ...process.env }];
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
  process.env.TRIPLET_STUDIO_DATA = data;
  delete process.env.TRIPLET_STUDIO_DEBUG;
  try {
    fn();
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.env = env;
  }
  return { stdout: out.join(''), stderr: err.join(''), data };
}

test('a bug: its message, where the details are, and the stack in the log', () => {
  const r = captured(() => reportError(new TypeError("Cannot read properties of undefined (reading 'id')"), true));
  const file = join(r.data, 'logs', 'triplet-studio.log');
  assert.deepEqual(JSON.parse(r.stdout).error, { code: 'INTERNAL', message: "Cannot read properties of undefined (reading 'id')", details: { log: file } });
  assert.equal(
    r.stderr,
    `triplet-studio: Cannot read properties of undefined (reading 'id')\ntriplet-studio: this looks like a bug; the details are in ${file} (TRIPLET_STUDIO_DEBUG=1 prints them here)\n`,
  );
  assert.match(readFileSync(file, 'utf8'), /ERROR cli pid \d+ command [^:]*: TypeError: Cannot read properties of undefined \(reading 'id'\)\n\s+at .*report-error\.test\.ts/);
});

test('a coded error or a path in the way: the message alone, nothing logged', () => {
  const coded = captured(() => reportError(new AppError('NOT_FOUND', 'No run 7.'), false));
  assert.equal(coded.stderr, 'triplet-studio: No run 7.\n');
  const fsErr = Object.assign(new Error("EACCES: permission denied, open '/srv/out.csv'"), { code: 'EACCES', syscall: 'open', path: '/srv/out.csv' });
  const denied = captured(() => reportError(fsErr, false));
  assert.equal(denied.stderr, 'triplet-studio: Permission denied: /srv/out.csv\n');
  for (const r of [coded, denied]) assert.throws(() => readFileSync(join(r.data, 'logs', 'triplet-studio.log')), { code: 'ENOENT' });
});
