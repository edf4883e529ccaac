// The audit's checks on a small project: contradictions (train vs test), duplicate images (same
// content, one image from several files, nearly equal features) and train/test leakage; "keep"
// persists through the review column, so a kept suspect is marked and sinks on the next audit.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { autoEpochs, rankSuspects, trimAuditReport } from '../../../src/main/project/audit.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import type { Events } from '../../../src/shared/ipc.js';
import type { AuditReport, AuditSuspect } from '../../../src/shared/types.js';
import { flowersDir, sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const skip = skipWithoutBackbone('mobilenet_v1_0.75_224');
const root = mkdtempSync(join(tmpdir(), 'ts-audit-checks-'));
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;
let project: Project;

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const images = join(root, 'images');
  mkdirSync(images);
  const pick = (cls: string, n: number) => readdirSync(join(flowersDir(), 'images', cls)).sort().slice(0, n).map((f) => join(flowersDir(), 'images', cls, f));
  pick('daisy', 4).forEach((p, i) => copyFileSync(p, join(images, `d${i}.jpg`)));
  pick('roses', 3).forEach((p, i) => copyFileSync(p, join(images, `r${i}.jpg`)));
  copyFileSync(join(images, 'd0.jpg'), join(images, 'same-as-d0.jpg'));
  // Re-encoded (JPEG quality 90): a different file, the same picture.
  await sharp(join(images, 'd1.jpg')).jpeg({ quality: 90 }).toFile(join(images, 'reencoded-d1.jpg'));
  project = Project.init(join(root, 'project'));
  await project.importImages(images);
  // A file that later gets another image's content (re-imported): two images, one content.
  copyFileSync(join(images, 'd0.jpg'), join(images, 'r2.jpg'));
  await project.importImages(images);
  writeFileSync(join(root, 'train.txt'), ['d0.jpg d1.jpg r0.jpg', 'd2.jpg d3.jpg r1.jpg', 'r0.jpg r1.jpg d2.jpg', 'r1.jpg r2.jpg d3.jpg', 'd3.jpg d0.jpg r2.jpg', 'r2.jpg r0.jpg d1.jpg'].join('\n'));
  // Line 1 contradicts (and is the same triplet as) train line 1; line 2 only reuses train images.
  writeFileSync(join(root, 'test.txt'), ['d0.jpg r0.jpg d1.jpg', 'r1.jpg d2.jpg d3.jpg'].join('\n'));
  await project.importTriplets(join(root, 'train.txt'), 'train');
  const t = await project.importTriplets(join(root, 'test.txt'), 'test', { allowLeakage: true });
  assert.equal(t.added, 2);
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

test('contradictions, duplicates and leakage are found', { skip }, async () => {
  const r = await project.audit({ folds: 2, repeats: 1, epochs: 1 });
  assert.equal(r.suspects.length, 6);
  assert.deepEqual(
    r.contradictions.map((c) => [c.a.split, c.a.line, c.b.split, c.b.line]),
    [['train', 1, 'test', 1]],
  );
  const paths = r.duplicates.filter((d) => d.kind === 'paths');
  assert.deepEqual(paths.map((d) => [d.images[0].name, d.paths!.map((p) => p.split('/').pop())]), [['d0.jpg', ['d0.jpg', 'same-as-d0.jpg']]]);
  const exact = r.duplicates.filter((d) => d.kind === 'exact').map((d) => d.images.map((i) => i.name).sort());
  assert.deepEqual(exact, [['d0.jpg', 'r2.jpg']]);
  const near = r.duplicates.filter((d) => d.kind === 'near').map((d) => d.images.map((i) => i.name).sort());
  assert.deepEqual(near, [['d1.jpg', 'reencoded-d1.jpg']], 'the re-encoded copy, and no two distinct photos');
  const leaks = r.leakage.map((l) => [l.triplet.line, l.reason]);
  assert.deepEqual(leaks.find((l) => l[0] === 1), [1, 'same triplet as test triplet #7']);
  assert.ok(leaks.some((l) => l[0] === 2 && /all three images/.test(String(l[1]))), 'd2 d3 r1: every image is used by test triplets');
  assert.ok(!leaks.some((l) => l[0] === 4), 'r1 r2 d3: r1 is not in test');
});

test('an excluded triplet no longer contradicts or leaks, in a new audit and in the report read again', { skip }, async () => {
  const train1 = project.listTriplets({ split: 'train' }).items.find((t) => t.line === 1)!;
  const before = await project.audit({ folds: 2, repeats: 1, epochs: 1 });
  assert.equal(before.contradictions.length, 1);
  project.editTriplet(train1.id, { kind: 'exclude' });
  // The report the Audit view reads again after a fix: the fixed contradiction and leak are gone.
  const now = project.auditReport()!;
  assert.equal(now.contradictions.length, 0);
  assert.ok(!now.leakage.some((l) => l.triplet.id === train1.id));
  const r = await project.audit({ folds: 2, repeats: 1, epochs: 1 });
  assert.equal(r.contradictions.length, 0);
  assert.ok(!r.leakage.some((l) => l.triplet.id === train1.id));
  assert.equal(r.suspects.length, 5);
  project.undo();
  assert.equal(project.auditReport()!.contradictions.length, 1, 'undo: listed again');
});

test('a kept suspect is marked and sinks below the others; the report follows swaps and undo', { skip }, async () => {
  const first = await project.audit({ folds: 2, repeats: 1, epochs: 1 });
  const top = first.suspects[0];
  project.editTriplet(top.id, { kind: 'keep' });
  let now = project.auditReport()!;
  assert.equal(now.suspects[0].kept, true, 'the report read again shows the keep, in the audit order');
  const again = await project.audit({ folds: 2, repeats: 1, epochs: 1 });
  assert.equal(again.suspects.at(-1)!.id, top.id, 'kept: listed last');
  assert.equal(again.suspects.at(-1)!.kept, true);
  const second = again.suspects[0];
  project.editTriplet(second.id, { kind: 'swap' });
  now = project.auditReport()!;
  assert.equal(now.suspects[0].swapped, true);
  project.undo();
  assert.equal(project.auditReport()!.suspects[0].swapped, false);
});

test('rankSuspects: worst first, kept ones last', () => {
  const s = (id: number, score: number, kept = false) => ({ id, score, kept }) as AuditSuspect;
  assert.deepEqual(rankSuspects([s(1, 0.1), s(2, 0.9, true), s(3, 0.5), s(4, -0.2, true)]).map((x) => x.id), [3, 1, 2, 4]);
});

test('trimAuditReport: the app gets the worst suspects and every list capped, with the totals', () => {
  const s = (id: number) => ({ id, score: -id, kept: false }) as AuditSuspect;
  const report = { suspects: [1, 2, 3, 4].map(s), contradictions: [], duplicates: [], leakage: [] } as unknown as AuditReport;
  assert.equal(trimAuditReport(report, 4), report, 'short lists travel as they are');
  const cut = trimAuditReport(report, 2);
  assert.deepEqual(cut.suspects.map((x) => x.id), [1, 2]);
  assert.deepEqual(cut.totals, { suspects: 4, contradictions: 0, duplicates: 0, leakage: 0 });
});

test('autoEpochs: 8 epochs on the shared sets, enough steps on small splits, capped on tiny ones', () => {
  assert.equal(autoEpochs(1200, 5, 64), 8, '960 per fold: 15 batches × 8 = 120 steps');
  assert.equal(autoEpochs(400, 5, 64), 24, '320 per fold: 5 batches × 24 = 120 steps');
  assert.equal(autoEpochs(100_000, 5, 64), 8);
  assert.equal(autoEpochs(6, 2, 64), 60);
});

test('in the app the audit is a job: progress with the audit phase, then cancel ends it as cancelled', { skip }, async () => {
  const events: { e: string; p: unknown }[] = [];
  const service = new StudioService({ dataDir: join(root, 'app-data'), emit: (e, p) => events.push({ e, p }) });
  try {
    service.openProject({ dir: project.dir });
    const { jobId } = service.audit({ options: { folds: 2, repeats: 1, epochs: 1000 } });
    const started = Date.now();
    while (!events.some((x) => x.e === 'job:progress' && (x.p as Events['job:progress']).phase === 'audit') && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 50));
    const audit = events.filter((x) => x.e === 'job:progress').map((x) => x.p as Events['job:progress']).filter((p) => p.phase === 'audit');
    assert.ok(audit.length > 0 && audit[0].kind === 'audit' && audit[0].total === 2 * 1000, JSON.stringify(audit[0]));
    assert.equal(service.cancelJob({ jobId }), true);
    await assert.rejects(service.jobs.wait(jobId), { name: 'AbortError' });
    const failed = events.find((x) => x.e === 'job:failed')?.p as Events['job:failed'];
    assert.equal(failed.cancelled, true);
    assert.equal(service.auditReport(), null, 'a cancelled audit leaves no report');
  } finally {
    await service.dispose();
  }
});
