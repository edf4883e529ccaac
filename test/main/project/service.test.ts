import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { EventName, Events } from '../../../src/shared/ipc.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import { setWritableCheck } from '../../../src/main/store/readonly.js';

const root = mkdtempSync(join(tmpdir(), 'ts-service-'));
const images = join(root, 'images');
const events: { e: EventName; p: unknown }[] = [];
let service: StudioService;

before(async () => {
  for (const [folder, names] of [['cats', ['c1', 'c2', 'c3']], ['dogs', ['d1', 'd2']]] as const) {
    mkdirSync(join(images, folder), { recursive: true });
    for (const [i, n] of names.entries()) {
      const png = await sharp({ create: { width: 20 + i, height: 10, channels: 3, background: { r: i * 50, g: n.length, b: folder === 'cats' ? 9 : 99 } } }).png().toBuffer();
      writeFileSync(join(images, folder, `${n}.png`), png);
    }
  }
  service = new StudioService({ dataDir: join(root, 'data'), emit: <E extends EventName>(e: E, p: Events[E]) => void events.push({ e, p }) });
});

after(async () => {
  await service.dispose();
  rmSync(root, { recursive: true, force: true });
});

test('without a project, requests fail with NO_PROJECT', async () => {
  assert.equal(service.projectInfo(), null);
  assert.throws(() => service.listImages({}), { code: 'NO_PROJECT' });
  assert.equal(await service.mediaPath('thumb', 1), null);
});

test('create, import images as a job, browse, triplets, edits with undo, media paths', async () => {
  const info = service.createProject({ dir: join(root, 'p1') });
  assert.deepEqual([info.name, info.images], ['p1', 0]);
  assert.throws(() => service.createProject({ dir: join(root, 'p1') }), { code: 'CONFLICT' });
  const { jobId } = service.importImages({ folder: images });
  assert.throws(() => service.importImages({ folder: images }), { code: 'BUSY' });
  assert.equal(service.openProject({ dir: join(root, 'p1') }).dir, join(root, 'p1'), 'the project already open: nothing to stop');
  assert.throws(() => service.createProject({ dir: join(root, 'p0') }), { code: 'BUSY', details: { jobId, kind: 'import-images' } });
  await service.jobs.wait(jobId);
  const done = events.find((x) => x.e === 'job:done') as { p: Events['job:done'] };
  assert.equal(done.p.jobId, jobId);
  assert.equal((done.p.result as { added: number }).added, 5);
  assert.ok(events.some((x) => x.e === 'project:changed' && (x.p as { what: string }).what === 'images'));

  assert.deepEqual(service.listFolders(), ['cats', 'dogs']);
  const page = service.listImages({ folder: 'cats', limit: 2, offset: 1 });
  assert.deepEqual([page.total, page.offset, page.items.map((i) => i.name)], [3, 1, ['cats/c2.png', 'cats/c3.png']]);
  assert.deepEqual(service.listImages({ search: '2' }).items.map((i) => i.name), ['cats/c2.png', 'dogs/d2.png']);
  assert.equal(service.listImages({ search: '%' }).total, 0, 'LIKE wildcards are literal');
  const id = (n: string) => service.listImages({ search: n }).items[0].id;
  assert.ok(existsSync((await service.mediaPath('thumb', id('c1')))!));
  assert.equal(await service.mediaPath('image', id('c1')), join(images, 'cats', 'c1.png'));

  const file = join(root, 'test.txt');
  writeFileSync(file, 'c1.png c2.png d1.png\ncats/c2.png c3.png dogs/d2.png\n');
  const before = events.length;
  const r = await service.importTriplets({ file, split: 'test' });
  assert.equal(r.added, 2);
  assert.ok(events.slice(before).some((x) => x.e === 'project:changed'));
  assert.equal(service.getImage({ id: id('c2') }).triplets.length, 2);
  const made = { split: 'train', anchorId: id('c1'), positiveId: id('c3'), negativeId: id('d2') } as const;
  // All three are test images: refused as leakage unless asked for, as an import would be.
  assert.throws(() => service.createTriplet(made), { code: 'CONFLICT', details: { leak: true } });
  const t = service.createTriplet({ ...made, allowLeakage: true });
  service.editTriplet({ id: t.id, edit: { kind: 'swap' } });
  service.editTriplet({ id: 1, edit: { kind: 'delete' } });
  // The triplet import is an undoable step; the image import is listed, not undoable.
  assert.deepEqual(service.history({}).map((h) => [h.action, h.undoable]), [
    ['delete', true],
    ['swap', true],
    ['create', true],
    ['import', true],
    ['import-images', false],
  ]);
  assert.equal(service.undo({})!.action, 'delete');
  assert.equal(service.listTriplets({ split: 'test' }).items[0].id, 1);
  assert.equal(service.redo({})!.action, 'delete');
  assert.equal(service.listTriplets({ split: 'test' }).total, 1);
  assert.deepEqual(service.projectInfo()!.triplets, { train: 1, test: 1, excluded: 0 });
  await assert.rejects(async () => service.evaluate({}), { code: 'NOT_FOUND' });

  // Removing images: a dry run tells nobody; the removal and its undo reload the Library and the history.
  const changes = (from: number) => events.slice(from).filter((x) => x.e === 'project:changed').map((x) => (x.p as { what: string }).what);
  let mark = events.length;
  // d1's test triplet was deleted above; d2 is in a train and a test triplet.
  assert.deepEqual(service.removeImages({ selection: { folder: 'dogs' }, dryRun: true }), { removed: 1, names: ['dogs/d1.png'], kept: [{ id: id('d2'), name: 'dogs/d2.png', triplets: 2 }], keptCount: 1, dryRun: true });
  const free = service.removeImages({ selection: { folder: 'cats' }, dryRun: true });
  assert.deepEqual(changes(mark), []);
  assert.equal(free.removed, 0, 'every cat is in a triplet too');
  mark = events.length;
  assert.deepEqual(service.removeImages({ selection: { ids: [id('d1')] } }).names, ['dogs/d1.png']);
  assert.deepEqual(changes(mark), ['images', 'history'], 'no triplet changed: triplet lists do not reload');
  assert.equal(service.projectInfo()!.images, 4);
  mark = events.length;
  assert.equal(service.undo({})!.images, 1);
  assert.deepEqual(changes(mark), ['images', 'history']);
  assert.equal(service.projectInfo()!.images, 5);
});

test('recent projects: most recent first, at most 10, persisted in recent.json', () => {
  for (let i = 0; i < 12; i++) service.createProject({ dir: join(root, `r${i}`) });
  service.openProject({ dir: join(root, 'p1') });
  const recent = service.recentProjects();
  assert.equal(recent.length, 10);
  assert.equal(recent[0], join(root, 'p1'));
  assert.equal(recent[1], join(root, 'r11'));
  assert.deepEqual(JSON.parse(readFileSync(join(root, 'data', 'recent.json'), 'utf8')), recent);
  service.closeProject();
  assert.equal(service.projectInfo(), null);
  assert.throws(() => service.openProject({ dir: join(root, 'nope') }), { code: 'NO_PROJECT' });
});

test('a run left running by a dead process is marked failed when the project is opened', () => {
  const p = Project.open(join(root, 'p1'));
  p.db.prepare(`INSERT INTO runs (status, options, backend, pid) VALUES ('running', '{}', '', 999999999)`).run();
  p.close();
  // Read-only, the file cannot say so: the run is shown failed, and the file keeps its row as it was.
  const previous = setWritableCheck(() => false);
  try {
    const ro = Project.open(join(root, 'p1'));
    const shown = ro.runs().at(-1)!;
    const stored = ro.db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(shown.id);
    ro.close();
    assert.deepEqual([ro.readOnly, shown.status, shown.error, stored], [true, 'failed', 'Interrupted: the process training it ended.', 'running']);
  } finally {
    setWritableCheck(previous);
  }
  const again = Project.open(join(root, 'p1'));
  const run = again.runs().at(-1)!;
  again.close();
  assert.equal(run.status, 'failed');
  assert.match(run.error!, /Interrupted/);
});

test("diagnostics names the data folder's log; an error the page reports lands there with its stack", () => {
  const { logFile } = service.diagnostics();
  assert.equal(logFile, join(root, 'data', 'logs', 'triplet-studio.log'));
  service.reportRendererError({ where: 'unhandled rejection', message: 'TypeError: x is null', stack: 'TypeError: x is null\n    at draw (app.js:10:5)' });
  service.reportRendererError({ where: 'error', message: 'Script error.' });
  const text = readFileSync(logFile, 'utf8');
  assert.match(text, /ERROR service pid \d+ renderer \(unhandled rejection\): TypeError: x is null\n\s+at draw \(app\.js:10:5\)\n/);
  assert.match(text, /renderer \(error\): Script error\.\n/);
  assert.equal((text.match(/TypeError: x is null/g) ?? []).length, 1, 'the message once, not again above its stack');
});
