// The Export dialog's pure parts: default paths inside the project, the encodings' format, what an
// export would replace, the "written" line, and the Python example — whose loading and ranking
// lines are run with python3 + numpy on files the app's writer made.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RunExportReport } from '../../../src/shared/types.js';
import { writeMatrix } from '../../../src/main/project/matrix-files.js';
import { defaultPaths, pythonSnippet, replaced, withFormat, writtenText } from '../../../src/renderer/views/train/export-text.js';

const root = mkdtempSync(join(tmpdir(), 'ts-export-text-'));
after(() => rmSync(root, { recursive: true, force: true }));

const report = (over: Partial<RunExportReport> = {}): RunExportReport => ({
  run: 3,
  onnx: { file: '/p/exports/run-3/model.onnx', dim: 2, bytes: 10_400_000 },
  tfjs: null,
  encodings: null,
  preprocessing: { backbone: 'mobilenet_v1_0.75_224', size: 224, resize: 'bilinear (antialias), aspect not kept', exif: 'ignore the EXIF orientation', values: 'RGB 0–255 in', distance: 'l2', kernel: 'bilinear' },
  ...over,
});

test('exports go to <project>/exports/run-N/ by default, with the project folder’s separator', () => {
  assert.deepEqual(defaultPaths('/home/me/flowers/', 3), {
    onnx: '/home/me/flowers/exports/run-3/model.onnx',
    tfjs: '/home/me/flowers/exports/run-3/encoder',
    encodings: '/home/me/flowers/exports/run-3/encodings.csv',
  });
  assert.equal(defaultPaths('C:\\Users\\me\\flowers', 12).onnx, 'C:\\Users\\me\\flowers\\exports\\run-12\\model.onnx');
});

test('the format sets the encodings extension; what exists is replaced, except empty folders', () => {
  assert.equal(withFormat('/x/enc.csv', 'npy'), '/x/enc.npy');
  assert.equal(withFormat('/x/enc.NPY', 'csv'), '/x/enc.csv');
  assert.equal(withFormat('/x/enc', 'npy'), '/x/enc.npy');
  assert.deepEqual(
    replaced([
      { path: '/a', exists: true, kind: 'file' },
      { path: '/b', exists: false, kind: null },
      { path: '/c', exists: true, kind: 'dir', empty: true },
      { path: '/d', exists: true, kind: 'dir', empty: false },
    ]),
    ['/a', '/d'],
  );
});

test('what was written, by name in one folder, else by path', () => {
  const encodings = { run: 3, files: ['/p/exports/run-3/e.npy', '/p/exports/run-3/e.names.txt'], images: 30, dim: 2, distance: 'l2', leftOut: [] };
  assert.equal(writtenText(report({ encodings, tfjs: { dir: '/p/exports/run-3/encoder', members: 1 } })), 'model.onnx, e.npy, e.names.txt and encoder in /p/exports/run-3');
  assert.equal(writtenText(report({ onnx: { file: '/elsewhere/m.onnx', dim: 2, bytes: 1 }, encodings })), '/elsewhere/m.onnx, /p/exports/run-3/e.npy and /p/exports/run-3/e.names.txt');
});

test('the Python example follows the run: resize kernel, distance; none without an ONNX file', () => {
  assert.equal(pythonSnippet(report({ onnx: null })), null);
  const bilinear = pythonSnippet(report())!;
  assert.match(bilinear, /ort\.InferenceSession\("\/p\/exports\/run-3\/model\.onnx"\)/);
  assert.match(bilinear, /Image\.BILINEAR\)  # the app resizes with sharp \(linear\): close, not identical/);
  const nearest = pythonSnippet(report({ preprocessing: { ...report().preprocessing, kernel: 'nearest', distance: 'l1' } }))!;
  assert.match(nearest, /Image\.NEAREST\)\n/);
  assert.doesNotMatch(nearest, /np\.load|csv\.reader/, 'no encodings written: no nearest-images lines');
});

const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const noNumpy = python.status === 0 ? false : 'python3 with numpy is not installed';

for (const [format, distance] of [['npy', 'cosine'], ['csv', 'l1'], ['csv', 'l2']] as const) {
  test(`the example's loading and ranking lines run in Python on the app's ${format} file (${distance})`, { skip: noNumpy }, () => {
    // Unit rows as the app writes them; a name with a comma and a space, as users' files have.
    const names = ['daisy/a,1.jpg', 'rose/b c.jpg', 'tulip/d.jpg'];
    const data = Float32Array.from([1, 0, 0.6, 0.8, 0, 1]);
    const files = writeMatrix(join(root, `enc-${distance}.${format}`), names, data, 2);
    const snippet = pythonSnippet(report({ encodings: { run: 3, files, images: 3, dim: 2, distance, leftOut: [] }, preprocessing: { ...report().preprocessing, distance } }))!;
    // The ONNX lines need onnxruntime and PIL; the encoding of "photo.jpg" is taken as rose's own row.
    const loading = snippet.split('\n').slice(4);
    const script = ['import numpy as np', ...loading.slice(0, 1), 'enc = E[1:2]', ...loading.slice(1)].join('\n');
    const out = execFileSync('python3', ['-c', script], { encoding: 'utf8' });
    // The .names.txt escapes a space as %20, as triplet files do; the CSV keeps names as they are.
    const rose = format === 'npy' ? 'rose/b%20c.jpg' : 'rose/b c.jpg';
    assert.equal(out.trim(), `['${rose}', 'tulip/d.jpg', 'daisy/a,1.jpg']`);
  });
}
