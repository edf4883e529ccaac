// makeDirs: mkdir -p that returns. Node's own recursive mkdir spins forever at 100% CPU on a path
// under /proc (found by trying `init /proc/x`: the CLI never returned; in the app the service would
// freeze). Each call runs in a child process with a time limit, so a regression fails instead of hanging the suite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../../helpers/shared.js';

const root = mkdtempSync(join(tmpdir(), 'ts-make-dirs-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs makeDirs(path) in a child (10 s at most): 'ok', or the error's code and message. */
function makeDirsIn(path: string, mode?: number): string {
  const code = `import { makeDirs } from ${JSON.stringify(join(repoRoot, 'src/main/util/make-dirs.ts'))};
try { makeDirs(${JSON.stringify(path)}${mode ? `, { mode: ${mode} }` : ''}); console.log('ok'); } catch (e) { console.log(e.code + ' ' + e.message); }`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: repoRoot, encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.signal, null, `makeDirs(${path}) did not return within 10 s`);
  return r.stdout.trim();
}

test('a folder under /proc (takes no new folders): a clear FORBIDDEN at once, not a spin', { skip: !existsSync('/proc/self') && 'no /proc here' }, () => {
  assert.equal(makeDirsIn('/proc/triplet-studio-x/y'), 'FORBIDDEN Cannot make the folder /proc/triplet-studio-x: /proc does not take new folders.');
});

test('missing parents are made (with the mode), an existing folder is fine, and what is in the way is named', () => {
  const deep = join(root, 'a', 'b', 'c');
  assert.equal(makeDirsIn(deep, 0o700), 'ok');
  assert.equal(statSync(deep).mode & 0o777, 0o700);
  assert.equal(makeDirsIn(deep), 'ok', 'already there');
  writeFileSync(join(root, 'file'), 'x');
  assert.match(makeDirsIn(join(root, 'file')), /^EEXIST .*mkdir '.*\/file'$/);
  assert.match(makeDirsIn(join(root, 'file', 'sub')), /^ENOTDIR .*\/file\/sub'$/);
  symlinkSync(join(root, 'unplugged-drive'), join(root, 'link'));
  assert.equal(makeDirsIn(join(root, 'link', 'out')), `FORBIDDEN Cannot make the folder ${join(root, 'link', 'out')}: ${join(root, 'link')} is a link to a folder that is not there (a drive not connected?).`);
});
