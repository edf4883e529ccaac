// PCA by subspace iteration: against numpy's SVD (when python3 with numpy is installed) and on a
// known structure (a plane with a 3:1 spread embedded in 40-d), plus the small eigen solver.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';
import { pca, symmetricEigen } from '../../../../src/main/ml/projection/pca.js';

const gauss = (rand: () => number) => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

/** n×d data with decaying variance per (random rotated) direction, plus an offset. */
function sample(n: number, d: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const mix = Array.from({ length: d * d }, () => gauss(rand));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, (_, k) => gauss(rand) * 3 * Math.pow(0.8, k));
    for (let t = 0; t < d; t++) {
      let s = 5 + t; // not centred: PCA must centre
      for (let k = 0; k < d; k++) s += z[k] * mix[k * d + t];
      out[i * d + t] = s;
    }
  }
  return out;
}

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

test('PCA scores and variances match numpy SVD', { skip: hasNumpy ? false : 'python3 with numpy is not installed' }, () => {
  const [n, d] = [400, 24];
  const data = sample(n, d, 7);
  const dir = mkdtempSync(join(tmpdir(), 'ts-pca-'));
  try {
    const file = join(dir, 'x.f32');
    writeFileSync(file, Buffer.from(data.buffer));
    // Same sign convention as ours: each component's largest-magnitude loading positive.
    const script = `
import numpy as np, json, sys
x = np.fromfile(sys.argv[1], dtype=np.float32).astype(np.float64).reshape(${n}, ${d})
xc = x - x.mean(0)
u, s, vt = np.linalg.svd(xc, full_matrices=False)
v = vt[:2].T
for j in range(2):
    if v[np.argmax(np.abs(v[:, j])), j] < 0: v[:, j] *= -1
print(json.dumps({"scores": (xc @ v).ravel().tolist(), "var": (s[:2] ** 2 / ${n}).tolist()}))`;
    const ref = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as { scores: number[]; var: number[] };
    const r = pca(data, n, d, 2);
    r.variances.forEach((v, j) => assert.ok(Math.abs(v - ref.var[j]) / ref.var[j] < 1e-4, `variance ${j}: ${v} vs numpy ${ref.var[j]}`));
    let maxErr = 0;
    let scale = 0;
    ref.scores.forEach((s, i) => ((maxErr = Math.max(maxErr, Math.abs(s - r.scores[i]))), (scale = Math.max(scale, Math.abs(s)))));
    assert.ok(maxErr / scale < 1e-3, `scores differ from numpy by ${maxErr} (scale ${scale})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PCA recovers a plane embedded in 40-d: its two axes, their variances, each point', () => {
  const [n, d] = [600, 40];
  const rand = seededRandom(3);
  // Two orthonormal directions in 40-d.
  const u = Array.from({ length: d }, () => gauss(rand));
  const nu = Math.hypot(...u);
  u.forEach((x, i) => (u[i] = x / nu));
  const w = Array.from({ length: d }, () => gauss(rand));
  const dot = w.reduce((s, x, i) => s + x * u[i], 0);
  w.forEach((x, i) => (w[i] = x - dot * u[i]));
  const nw = Math.hypot(...w);
  w.forEach((x, i) => (w[i] = x / nw));
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) (a[i] = 3 * gauss(rand)), (b[i] = gauss(rand));
  // Sample-uncorrelated coordinates, so the sample's principal axes are exactly u and w.
  const am = a.reduce((x, y) => x + y, 0) / n;
  const ab = a.reduce((s, v, i) => s + (v - am) * b[i], 0);
  const aa = a.reduce((s, v) => s + (v - am) ** 2, 0);
  for (let i = 0; i < n; i++) b[i] -= (ab / aa) * (a[i] - am);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) data[i * d + t] = 1 + a[i] * u[t] + b[i] * w[t];
  }
  const r = pca(data, n, d, 2);
  const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / n;
  const [ma, mb] = [mean(a), mean(b)];
  const va = a.reduce((s, v) => s + (v - ma) ** 2, 0) / n;
  const vb = b.reduce((s, v) => s + (v - mb) ** 2, 0) / n;
  assert.ok(Math.abs(r.variances[0] - va) / va < 1e-4 && Math.abs(r.variances[1] - vb) / vb < 1e-3, `variances ${r.variances} vs ${va}, ${vb}`);
  // Up to sign, the scores are the in-plane coordinates (centred).
  const sa = Math.sign(r.scores[0] * (a[0] - ma));
  const sb = Math.sign(r.scores[1] * (b[0] - mb));
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(r.scores[i * 2] - sa * (a[i] - ma)) < 1e-3);
    assert.ok(Math.abs(r.scores[i * 2 + 1] - sb * (b[i] - mb)) < 1e-3);
  }
});

test('symmetricEigen: eigenpairs of a small symmetric matrix, largest first', () => {
  const m = 3;
  const A = new Float64Array([4, 1, 0, 1, 3, 1, 0, 1, 2]);
  const { values, vectors } = symmetricEigen(A, m);
  assert.ok(values[0] >= values[1] && values[1] >= values[2]);
  for (let j = 0; j < m; j++) {
    for (let r = 0; r < m; r++) {
      let av = 0;
      for (let c = 0; c < m; c++) av += A[r * m + c] * vectors[c * m + j];
      assert.ok(Math.abs(av - values[j] * vectors[r * m + j]) < 1e-9);
    }
  }
});

test('project2d (worker): always n × 2, also for one image or a 1-d embedding; UMAP under 3 points is the origin', async () => {
  const { project2d } = await import('../../../../src/main/ml/projection/index.js');
  assert.deepEqual([...(await project2d('pca', new Float32Array([1, 2, 3]), 1, 3))], [0, 0]);
  const oneD = await project2d('pca', new Float32Array([1, 2, 4, 8]), 4, 1);
  assert.equal(oneD.length, 8);
  assert.deepEqual([1, 3, 5, 7].map((i) => oneD[i]), [0, 0, 0, 0]);
  assert.ok(Math.abs(oneD[6] - (8 - 3.75)) < 1e-5, 'the one axis is the centred value');
  assert.deepEqual([...(await project2d('umap', new Float32Array([1, 2, 3, 4]), 2, 2))], [0, 0, 0, 0]);
});
