// UMAP above the fit limit: fitted on a seeded sample (the 30-d reduction from the sample too), the
// other points placed by umap-js's transform — they must land with their own clusters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';
import { umap2d } from '../../../../src/main/ml/projection/umap.js';

test('umap2d with a fit sample places the other points with their clusters', () => {
  const [n, d, clusters] = [600, 50, 4];
  const rand = seededRandom(4);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: clusters }, () => Array.from({ length: d }, () => gauss() * 3));
  const data = new Float32Array(n * d);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    label[i] = i % clusters;
    for (let t = 0; t < d; t++) data[i * d + t] = centres[label[i]][t] + gauss();
  }
  const phases = new Set<string>();
  const xy = umap2d(data, n, d, { fitLimit: 200, onProgress: (p) => phases.add(p.phase) });
  assert.ok(phases.has('place'), `the rest is placed: ${[...phases]}`);
  // 5-NN cluster agreement in 2-D, over every point (fitted and placed alike); chance is 0.25.
  let same = 0;
  for (let i = 0; i < n; i++) {
    const near = [...Array(n).keys()]
      .filter((j) => j !== i)
      .map((j) => ({ j, d: (xy[i * 2] - xy[j * 2]) ** 2 + (xy[i * 2 + 1] - xy[j * 2 + 1]) ** 2 }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 5);
    same += near.filter((x) => label[x.j] === label[i]).length;
  }
  const agreement = same / (n * 5);
  assert.ok(agreement > 0.9, `5-NN agreement ${agreement}`);
  assert.ok(xy.every(Number.isFinite));
});
