// Temporary files a killed process left (its pid in the name, so no later process reuses them) are
// removed where the next write of the same kind happens: a thumbnail's at the next image import, an
// export's at the next export of that file. Files of live processes, and other files, stay.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { Project } from '../../../src/main/project/project.js';
import { removeDeadTemps } from '../../../src/main/util/dead-temps.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-dead-temps-'));
const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
after(() => (live.kill(), rmSync(root, { recursive: true, force: true })));

/** The pid of a process that has exited. */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

test('only the temporary files of processes that are gone are removed', () => {
  const dir = join(root, 'thumbs-ab');
  mkdirSync(dir);
  const dead = deadPid();
  const files = [`x.webp.${dead}.k3j2.tmp`, `x.webp.${live.pid}.k3j2.tmp`, `x.webp.${process.pid}.a1.tmp`, 'x.webp', `y.webp.${dead}.12.tmp`, 'notes.tmp'];
  for (const f of files) writeFileSync(join(dir, f), 'x');
  assert.equal(removeDeadTemps(dir), 2);
  assert.deepEqual(readdirSync(dir).sort(), ['notes.tmp', `x.webp.${live.pid}.k3j2.tmp`, `x.webp.${process.pid}.a1.tmp`, 'x.webp'].sort());
  // With a prefix: only `<prefix>.<pid>.tmp`.
  writeFileSync(join(dir, `train.txt.${dead}.tmp`), 'x');
  writeFileSync(join(dir, `other.txt.${dead}.tmp`), 'x');
  assert.equal(removeDeadTemps(dir, 'train.txt'), 1);
  assert.ok(readdirSync(dir).includes(`other.txt.${dead}.tmp`));
});

test("a triplet export removes what a killed export of the same file left", async () => {
  const p = Project.init(join(root, 'p'));
  try {
    addFilelessImages(p.db, ['a.jpg', 'b.jpg', 'c.jpg']);
    p.createTriplet({ split: 'train', anchorId: 1, positiveId: 2, negativeId: 3 });
    const out = join(root, 'out');
    mkdirSync(out);
    const left = `train.txt.${deadPid()}.tmp`;
    writeFileSync(join(out, left), 'half an export');
    p.exportTriplets('train', join(out, 'train.txt'));
    assert.deepEqual(readdirSync(out), ['train.txt']);
  } finally {
    p.close();
  }
});

test('an image import removes the thumbnails a killed import was writing', async () => {
  const p = Project.init(join(root, 'q'));
  try {
    const photos = join(root, 'photos');
    mkdirSync(photos);
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#345' } }).png().toFile(join(photos, 'a.png'));
    const sub = join(root, 'q', 'thumbs', 'ab');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `ab12.webp.${deadPid()}.x7.tmp`), 'half a thumbnail');
    await p.importImages(photos);
    assert.deepEqual(readdirSync(sub), []);
  } finally {
    p.close();
  }
});
