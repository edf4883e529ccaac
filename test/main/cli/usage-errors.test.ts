// Usage errors through the real CLI: with --json they are one JSON document on stdout (they printed
// nothing there before), a wrong combination of flags is the user's error and not a "bug", options
// that would be ignored or misread are refused, and `flagged --clear` names ids it cannot clear.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Project } from '../../../src/main/project/project.js';
import { cliRunner } from '../../helpers/cli.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-cli-usage-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cli = cliRunner(join(root, 'data'));

/** The one JSON error document on stdout, after checking the exit code. */
function jsonError(r: { code: number; stdout: string }): { code: string; message: string } {
  assert.equal(r.code, 1, r.stdout);
  return (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
}

test('usage errors: one JSON document with --json, BAD_ARGUMENTS not INTERNAL, conflicting and out-of-range options refused', async () => {
  const dir = join(root, 'p');
  const p = Project.init(dir);
  addFilelessImages(p.db, ['a.jpg', 'b.jpg', 'c.jpg']);
  p.createTriplet({ split: 'train', anchorId: 1, positiveId: 2, negativeId: 3 });
  p.close();
  const [split, unknown, noAction, twoActions, epochs, limit, raw, source, help] = await Promise.all([
    cli('import-triplets', dir, 'x.txt', '--split', 'validation', '--json'),
    cli('--json', 'nosuchcmd'),
    cli('edit', dir, '1', '--json'),
    cli('edit', dir, '1', '--swap', '--delete', '--json'),
    cli('audit', dir, '--epochs', '0', '--json'),
    cli('history', dir, '--limit', '-1', '--json'),
    cli('neighbours', dir, 'a.jpg', '--run', '1', '--raw', '--json'),
    cli('map', dir, '--run', '1', '--source', 'features', '--json'),
    cli('triplets', '--help'),
  ]);
  assert.match(jsonError(split).message, /'validation' is invalid\. Allowed choices are train, test/);
  assert.equal(jsonError(split).code, 'BAD_ARGUMENTS');
  assert.match(split.stderr, /error: option '--split <split>'/, 'stderr still says it in words');
  assert.match(jsonError(unknown).message, /unknown command 'nosuchcmd'/);
  assert.deepEqual(jsonError(noAction), { code: 'BAD_ARGUMENTS', message: 'Give exactly one of --swap, --exclude, --include, --delete, --split S, --review R, --replace ROLE=NAME.' });
  assert.equal(jsonError(twoActions).code, 'BAD_ARGUMENTS');
  assert.doesNotMatch(twoActions.stderr, /looks like a bug/);
  assert.match(jsonError(epochs).message, /--epochs expects an integer between 1 and 1000/);
  assert.match(jsonError(limit).message, /--limit expects an integer of at least 1/);
  assert.match(jsonError(raw).message, /'--raw' cannot be used with option '--run <id>'/);
  assert.match(jsonError(source).message, /'--run <id>' cannot be used with '--source features'/);
  assert.equal(help.code, 0, 'help is no error');
  // Found by the CLI contract review: commander's own word leaked; a minimum missing; one of two contradicting options dropped.
  const [none, concurrency, fromAndUrl, md5AndNone, idText] = await Promise.all([
    cli('--json'),
    cli('import-images', dir, root, '--concurrency', '0', '--json'),
    cli('fetch-backbone', 'mobilenet_v1_0.75_224', '--from', root, '--url', 'http://127.0.0.1:9/x', '--json'),
    cli('fetch-backbone', 'resnet50', '--md5', 'abc', '--no-checksum', '--json'),
    cli('edit', dir, 'abc', '--swap', '--json'),
  ]);
  assert.deepEqual(jsonError(none), { code: 'BAD_ARGUMENTS', message: 'Name a command (triplet-studio --help lists them).' });
  assert.match(jsonError(concurrency).message, /--concurrency expects an integer of at least 1/);
  assert.deepEqual(jsonError(fromAndUrl), { code: 'BAD_ARGUMENTS', message: 'Give --from or --url, not both.' });
  assert.deepEqual(jsonError(md5AndNone), { code: 'BAD_ARGUMENTS', message: 'Give --md5 or --no-checksum, not both.' });
  assert.match(jsonError(idText).message, /ID expects an integer\.$/, 'a positional argument, not an option "--id"');
  assert.match(help.stdout, /Usage: triplet-studio triplets/);

  // Ranges are checked as the options are parsed: with the usage line, and before the folder is looked at
  // (the project here does not exist, so a check after opening it would say that instead).
  const gone = join(root, 'no-such-project');
  const ranges = await Promise.all([
    cli('suggest', gone, '--count', '0'),
    cli('suggest', gone, '--count', '1001', '--json'),
    cli('audit', gone, '--folds', '1', '--json'),
    cli('audit', gone, '--repeats', '21', '--json'),
    cli('neighbours', gone, 'a.jpg', '--k', '100001', '--json'),
    cli('encode', gone, '--run', '0', '--out', join(root, 'x.csv'), '--json'),
  ]);
  assert.match(ranges[0].stderr, /--count expects an integer between 1 and 1000\.\n\(add --help for usage\)/);
  assert.deepEqual(
    ranges.slice(1).map((r) => jsonError(r)),
    [
      { code: 'BAD_ARGUMENTS', message: "option '--count <n>' argument '1001' is invalid. --count expects an integer between 1 and 1000." },
      { code: 'BAD_ARGUMENTS', message: "option '--folds <k>' argument '1' is invalid. --folds expects an integer between 2 and 50." },
      { code: 'BAD_ARGUMENTS', message: "option '--repeats <n>' argument '21' is invalid. --repeats expects an integer between 1 and 20." },
      { code: 'BAD_ARGUMENTS', message: "option '--k <n>' argument '100001' is invalid. --k expects an integer between 1 and 100000." },
      { code: 'BAD_ARGUMENTS', message: "option '--run <id>' argument '0' is invalid. --run expects an integer of at least 1." },
    ],
  );

  // --clear names ids it cannot clear instead of skipping them; nothing changes.
  const before = await cli('history', dir, '--json');
  const [notId, notFlagged] = await Promise.all([cli('flagged', dir, '--clear', 'abc', '--json'), cli('flagged', dir, '--clear', '1', '9999', '--json')]);
  assert.deepEqual(jsonError(notId), { code: 'BAD_ARGUMENTS', message: '--clear: "abc" is not a triplet id.' });
  assert.deepEqual(jsonError(notFlagged), { code: 'NOT_FOUND', message: 'Triplets #1, #9999 have no flag (see `triplet-studio flagged`); nothing was cleared.' });
  assert.equal((await cli('history', dir, '--json')).stdout, before.stdout, 'no step recorded');
});

test('paths that cannot be what they are given as: an empty project folder, a file as a project, an image folder or a tfjs export', async () => {
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const snapOnly = join(root, 'snapshot-only');
  mkdirSync(snapOnly);
  writeFileSync(join(snapOnly, 'project.sqlite.pre-migration-14'), 'x');
  const [init, asProject, asFolder, tfjs, checkFile, checkEmpty, checkSnapshot] = await Promise.all([
    cli('init', '', '--json'),
    cli('triplets', file, '--json'),
    cli('import-images', join(root, 'p'), file, '--json'),
    cli('export-model', join(root, 'p'), '--tfjs', file, '--force', '--json'),
    cli('check', file, '--json'),
    cli('check', root, '--json'),
    cli('check', snapOnly),
  ]);
  assert.deepEqual(jsonError(init), { code: 'BAD_ARGUMENTS', message: 'The project folder is empty: name a folder (use . for the current one).' });
  assert.equal(jsonError(asProject).message, `${file} is a file, not a Triplet Studio project (a project is a folder).`);
  assert.equal(jsonError(asFolder).message, `${file} is a file, not a folder: import the folder that holds the images.`);
  // A folder export over a file: said before anything else, and --force is not offered (it would not help).
  assert.equal(jsonError(tfjs).message, `${file} is a file, not a folder: choose a new or empty folder (nothing was written).`);
  // `check` on a folder that is no project says so like every other command (it printed a report of one
  // "problem"); a folder that kept only a snapshot of its store gets the report, naming the snapshot.
  assert.equal(jsonError(checkFile).code, 'NO_PROJECT');
  assert.deepEqual(jsonError(checkEmpty), { code: 'NO_PROJECT', message: `${root} is not a Triplet Studio project (no project.sqlite in it); create one with \`triplet-studio init ${root}\`.` });
  assert.equal(checkSnapshot.code, 1);
  assert.match(checkSnapshot.stdout, /project\.sqlite does not exist\.\nSnapshots, newest first \(copy one over the store to restore it\):\n  .*project\.sqlite\.pre-migration-14$/m);
});
