// Using a run outside the app: `encode` (CSV, NPY), the one-file ONNX export (backbone + encoder) run
// with onnxruntime-node, and the tfjs encoder export run with tfjs — all giving the encodings the app uses.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { decodeRgb } from '../../../src/main/ml/index.js';
import { loadOrt } from '../../../src/main/ml/features/onnx-engine.js';
import { encodeAllImages } from '../../../src/main/project/encode.js';
import { featureKey, loadFeatures, prepOfRun } from '../../../src/main/project/features.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import type { EventName, Events } from '../../../src/shared/ipc.js';
import { loadRunEncoder, modelDirOf } from '../../../src/main/project/runs.js';
import { cliRunner } from '../../helpers/cli.js';
import { makeFlowersSubset } from '../../helpers/flowers-subset.js';
import { skipWithoutOrt } from '../../helpers/ort.js';
import { sharedModelsDir, skipWithoutBackbone } from '../../helpers/shared.js';

const BACKBONE = 'mobilenet_v1_0.75_224';
const skip = skipWithoutBackbone(BACKBONE);
const root = mkdtempSync(join(tmpdir(), 'ts-export-'));
let project: Project;
const savedEnv = process.env.TRIPLET_STUDIO_BACKBONES;
const ctx = () => ({ db: project.db, readOnly: false, encoder: (id: number) => loadRunEncoder(project.dir, id, modelDirOf(id)) });

before(async () => {
  if (skip) return;
  process.env.TRIPLET_STUDIO_BACKBONES = sharedModelsDir();
  const data = makeFlowersSubset(root, { perClass: 3, seed: 5, trainLines: 40, testLines: 5 });
  project = Project.init(join(root, 'project'));
  await project.importImages(data.images);
  await project.importTriplets(data.train, 'train');
  await project.importTriplets(data.test, 'test', { allowLeakage: true });
  await project.train({ epochs: 2, seed: 2, ensemble: 2 });
});

after(() => {
  project?.close();
  if (savedEnv === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
  else process.env.TRIPLET_STUDIO_BACKBONES = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

/** A minimal .npy reader: checks the magic and header, returns dtype, shape and the float32 data. */
function readNpy(file: string): { descr: string; shape: number[]; data: Float32Array } {
  const b = readFileSync(file);
  assert.equal(b.subarray(0, 6).toString('latin1'), '\x93NUMPY');
  assert.deepEqual([b[6], b[7]], [1, 0]);
  const len = b.readUInt16LE(8);
  assert.equal((10 + len) % 64, 0, 'header padded to 64 bytes');
  const header = b.subarray(10, 10 + len).toString('latin1');
  assert.ok(header.endsWith('\n'));
  const descr = /'descr': '([^']+)'/.exec(header)![1];
  assert.match(header, /'fortran_order': False/);
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = b.subarray(10 + len);
  const data = new Float32Array(body.length / 4);
  new Uint8Array(data.buffer).set(body);
  return { descr, shape, data };
}

test('encode: NPY (+ names) and CSV hold every image encoding the app uses', { skip }, async () => {
  const npy = join(root, 'enc.npy');
  const r = await project.encode(npy);
  assert.deepEqual([r.images, r.dim, r.leftOut.length], [15, 20, 0]);
  const m = readNpy(npy);
  assert.deepEqual([m.descr, m.shape], ['<f4', [15, 20]]);
  const ref = await encodeAllImages(ctx());
  assert.deepEqual(m.data, ref.data);
  assert.deepEqual(readFileSync(join(root, 'enc.names.txt'), 'utf8').trim().split('\n'), ref.names);
  // Each row is a unit vector (the joined ensemble embedding).
  const norm = Math.hypot(...m.data.subarray(0, 20));
  assert.ok(Math.abs(norm - 1) < 1e-5, `norm ${norm}`);

  const csv = join(root, 'enc.csv');
  await project.encode(csv);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines[0], ['name', ...Array.from({ length: 20 }, (_, j) => `e${j}`)].join(','));
  assert.equal(lines.length, 16);
  const first = lines[1].split(',');
  assert.equal(first[0], ref.names[0]);
  assert.deepEqual(first.slice(1).map(Number), Array.from(ref.data.subarray(0, 20)));
  await assert.rejects(project.encode(join(root, 'enc.txt')), { code: 'BAD_ARGUMENTS' });
});

test('ONNX export run with onnxruntime-node = encode, from the photos', { skip }, async (t) => {
  const noOrt = await skipWithoutOrt();
  if (noOrt) return t.skip(noOrt);
  const file = join(root, 'model.onnx');
  const r = await project.exportModel(undefined, { onnx: file });
  assert.equal(r.onnx!.dim, 20);
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(file);
  assert.deepEqual([session.inputNames, session.outputNames], [['image'], ['encoding']]);
  const ref = await encodeAllImages(ctx());
  const run = project.runs().at(-1)!;
  const picks = [0, 7, 14];
  const pixels = new Float32Array(picks.length * 224 * 224 * 3);
  for (const [i, row] of picks.entries()) {
    const id = project.listImages({ search: ref.names[row] }).items.find((x) => x.name === ref.names[row])!.id;
    pixels.set(await decodeRgb(project.mediaPath('image', id)!, 224, prepOfRun(run.options)), i * 224 * 224 * 3);
  }
  const out = await session.run({ image: new ort.Tensor('float32', pixels, [picks.length, 224, 224, 3]) });
  const enc = out.encoding.data as Float32Array;
  let maxDiff = 0;
  for (const [i, row] of picks.entries()) for (let j = 0; j < 20; j++) maxDiff = Math.max(maxDiff, Math.abs(enc[i * 20 + j] - ref.data[row * 20 + j]));
  t.diagnostic(`ONNX export vs encode: max abs diff ${maxDiff.toExponential(2)}`);
  assert.ok(maxDiff < 1e-4, `max abs diff ${maxDiff}`);
  await session.release();
});

test('tfjs encoder export: members loaded with tfjs and combined as encoder.json says = encode', { skip }, async (t) => {
  const dir = join(root, 'tfjs');
  const r = await project.exportModel(undefined, { tfjs: dir });
  assert.equal(r.tfjs!.members, 2);
  const info = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as { members: string[] };
  const run = project.runs().at(-1)!;
  const ref = await encodeAllImages(ctx());
  const features = loadFeatures(project.db, featureKey(BACKBONE, prepOfRun(run.options)));
  const ids = ref.names.map((n) => project.listImages({ search: n }).items.find((x) => x.name === n)!.id);
  const x = tf.tensor2d(ids.flatMap((id) => Array.from(features.get(id)!)), [ids.length, 768]);
  const parts: tf.Tensor[] = [];
  for (const m of info.members) {
    const json = JSON.parse(readFileSync(join(dir, m), 'utf8'));
    const weights = readFileSync(join(dir, m, '..', json.weightsManifest[0].paths[0]));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    const e = model.predict(x) as tf.Tensor2D;
    parts.push(e.div(e.norm('euclidean', 1, true)));
  }
  const enc = tf.concat(parts, 1).div(Math.sqrt(parts.length)).dataSync() as Float32Array;
  let maxDiff = 0;
  for (let i = 0; i < enc.length; i++) maxDiff = Math.max(maxDiff, Math.abs(enc[i] - ref.data[i]));
  t.diagnostic(`tfjs export vs encode: max abs diff ${maxDiff.toExponential(2)}`);
  assert.ok(maxDiff < 1e-5, `max abs diff ${maxDiff}`);
  // A folder holding something else is never replaced.
  const other = join(root, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'keep.txt'), 'mine');
  await assert.rejects(project.exportModel(undefined, { tfjs: other }), { code: 'CONFLICT' });
  assert.equal(readFileSync(join(other, 'keep.txt'), 'utf8'), 'mine');
  // A file where a parent folder should be: the message names the folder asked for, not its temporary `.partial` sibling.
  for (const target of [join(other, 'keep.txt', 'enc'), join(other, 'keep.txt', 'sub', 'enc')]) {
    await assert.rejects(project.exportModel(undefined, { tfjs: target }), (err: Error) => {
      assert.equal(err.message, `${target} cannot be made: ${join(other, 'keep.txt')} is a file, not a folder (nothing was written).`);
      return true;
    });
  }
});

test('CLI encode and export-model --json', { skip }, async () => {
  const run = cliRunner(join(root, 'appdata'), { TRIPLET_STUDIO_BACKBONES: sharedModelsDir() });
  const e = await run('encode', project.dir, '--out', join(root, 'cli.npy'), '--json');
  assert.equal(e.code, 0, e.stderr);
  const rep = JSON.parse(e.stdout);
  assert.deepEqual([rep.images, rep.dim, rep.files.length], [15, 20, 2]);
  const x = await run('export-model', project.dir, '--onnx', join(root, 'cli.onnx'), '--json');
  assert.equal(x.code, 0, x.stderr);
  assert.equal(JSON.parse(x.stdout).onnx.dim, 20);
  const none = await run('export-model', project.dir, '--json');
  assert.equal(none.code, 1);
  // Paths given relative to the current folder are reported absolute, as every other command does.
  const rel = (name: string) => relative(process.cwd(), join(root, name));
  const er = JSON.parse((await run('encode', project.dir, '--out', rel('rel.csv'), '--json')).stdout);
  assert.deepEqual(er.files, [join(root, 'rel.csv')]);
  const xr = JSON.parse((await run('export-model', project.dir, '--onnx', rel('rel.onnx'), '--tfjs', rel('rel-tfjs'), '--json')).stdout);
  assert.deepEqual([xr.onnx.file, xr.tfjs.dir], [join(root, 'rel.onnx'), join(root, 'rel-tfjs')]);

  // An existing output is never replaced without --force (the app asks first), and nothing is written.
  const before = statSync(join(root, 'cli.npy')).mtimeMs;
  for (const args of [
    ['encode', project.dir, '--out', join(root, 'cli.npy')],
    ['export-model', project.dir, '--onnx', join(root, 'cli.onnx')],
  ]) {
    const again = await run(...args, '--json');
    assert.equal(again.code, 1, `${args[0]} replaced an existing file`);
    assert.equal(JSON.parse(again.stdout).error.code, 'CONFLICT');
    assert.match(again.stderr, /exists; pass --force to replace it \(nothing was written\)/);
    const forced = await run(...args, '--force');
    assert.equal(forced.code, 0, forced.stderr);
  }
  assert.ok(statSync(join(root, 'cli.npy')).mtimeMs > before, 'replaced with --force');
  // The names file alone existing counts too: it would be replaced.
  writeFileSync(join(root, 'names-only.names.txt'), 'mine\n');
  assert.equal((await run('encode', project.dir, '--out', join(root, 'names-only.npy'))).code, 1);
  assert.equal(readFileSync(join(root, 'names-only.names.txt'), 'utf8'), 'mine\n');
});

test("the app's Export (exportRun): one job writes the model, the encoder and the encodings; refused or cancelled ones write nothing", { skip }, async () => {
  const events: { e: EventName; p: unknown }[] = [];
  const service = new StudioService({ dataDir: join(root, 'app-data'), emit: <E extends EventName>(e: E, p: Events[E]) => void events.push({ e, p }) });
  service.openProject({ dir: project.dir });
  try {
    const runId = project.runs().at(-1)!.id;
    const out = join(root, 'app-export', 'run-' + runId);
    const r = await service.exportRun({ runId, onnx: join(out, 'model.onnx'), tfjs: join(out, 'encoder'), encodings: join(out, 'encodings.npy') });
    assert.deepEqual([r.run, r.onnx?.dim, r.tfjs?.members, r.encodings?.images, r.encodings?.dim], [runId, 20, 2, 15, 20]);
    assert.deepEqual(r.encodings?.files, [join(out, 'encodings.npy'), join(out, 'encodings.names.txt')]);
    assert.equal(r.preprocessing.kernel, 'bilinear');
    const ref = await encodeAllImages(ctx());
    assert.deepEqual(readNpy(join(out, 'encodings.npy')).data, ref.data, 'the encodings the app uses');
    assert.equal(statSync(join(out, 'model.onnx')).size, r.onnx!.bytes);
    assert.ok(existsSync(join(out, 'encoder', 'encoder.json')));
    assert.deepEqual(readdirSync(out).sort(), ['encoder', 'encodings.names.txt', 'encodings.npy', 'model.onnx'], 'no temporary files left');
    // The run an export reads is not deleted under it: refused whole while the job runs.
    const again = service.exportRun({ runId, encodings: join(root, 'app-export', 'while-deleting.csv') });
    await assert.rejects(service.deleteRuns({ ids: [runId] }), { code: 'BUSY', message: new RegExp(`Run ${runId} is in use \\(export\\).*nothing was deleted`) });
    await again;
    assert.equal(project.runs().at(-1)!.id, runId, 'still there');
    // It ran as a job: progress in steps, then done.
    const progress = events.filter((x) => x.e === 'job:progress').map((x) => x.p as Events['job:progress']);
    assert.ok(progress.some((p) => p.kind === 'export' && p.message === 'Building the ONNX model'), JSON.stringify(progress));
    assert.ok(events.some((x) => x.e === 'job:done' && (x.p as Events['job:done']).kind === 'export'));

    // Refused before any work: nothing to export, a bad encodings name, a folder that is not an earlier export.
    const none = join(root, 'app-export', 'refused');
    await assert.rejects(service.exportRun({ runId }), { code: 'BAD_ARGUMENTS' });
    await assert.rejects(service.exportRun({ runId, onnx: join(none, 'm.onnx'), encodings: join(none, 'e.txt') }), { code: 'BAD_ARGUMENTS' });
    mkdirSync(join(none, 'mine'), { recursive: true });
    writeFileSync(join(none, 'mine', 'keep.txt'), 'mine');
    await assert.rejects(service.exportRun({ runId, onnx: join(none, 'm.onnx'), tfjs: join(none, 'mine') }), { code: 'CONFLICT' });
    assert.deepEqual(readdirSync(none), ['mine'], 'the ONNX file was not written either');
    await assert.rejects(service.exportRun({ runId: 999, onnx: join(none, 'm.onnx') }), { code: 'NOT_FOUND' });
    // Never over part of the project, whatever the dialog was told.
    await assert.rejects(service.exportRun({ runId, onnx: join(project.dir, 'project.sqlite') }), { code: 'FORBIDDEN' });
    await assert.rejects(service.exportRun({ runId, encodings: join(project.dir, 'models', 'e.csv') }), { code: 'FORBIDDEN' });
    await assert.rejects(service.exportRun({ runId, tfjs: project.dir }), { code: 'FORBIDDEN' });
    await assert.rejects(Promise.resolve().then(() => service.exportTriplets({ split: 'train', file: join(project.dir, 'project.sqlite-wal') })), { code: 'FORBIDDEN' });
    assert.equal(project.runs().at(-1)!.id, runId, 'the store still reads');

    // Cancelled while it computes: no file at all.
    const ac = new AbortController();
    const cancelled = join(root, 'app-export', 'cancelled');
    await assert.rejects(
      project.exportRun(runId, { onnx: join(cancelled, 'm.onnx'), tfjs: join(cancelled, 'enc'), encodings: join(cancelled, 'e.csv') }, { signal: ac.signal, onProgress: () => ac.abort() }),
      { name: 'AbortError' },
    );
    assert.equal(existsSync(cancelled), false);
  } finally {
    await service.dispose();
  }
});
