// The exact k-NN scan against the brute-force reference: same ids, same distances, query excluded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nearest, nearestNaive, vectorSetOf } from '../../../../src/main/ml/search/knn.js';
import { seededRandom } from '../../../../src/main/ml/encoder/rng.js';

function randomVectors(n: number, dim: number, seed: number, unit: boolean): Map<number, Float32Array> {
  const rand = seededRandom(seed);
  const out = new Map<number, Float32Array>();
  for (let i = 0; i < n; i++) {
    const v = Float32Array.from({ length: dim }, () => rand() * 2 - 1);
    if (unit) {
      const s = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
      for (let j = 0; j < dim; j++) v[j] /= s;
    }
    out.set(1000 + i * 3, v); // ids need not be dense
  }
  return out;
}

for (const kind of ['l1', 'l2', 'cosine'] as const) {
  for (const [n, dim] of [[1, 10], [7, 10], [503, 10], [1001, 20], [257, 768]] as const) {
    test(`nearest = brute force (${kind}, ${n}×${dim})`, () => {
      const vectors = randomVectors(n, dim, n * 31 + dim, kind !== 'l1');
      const set = vectorSetOf(vectors);
      const ids = [...vectors.keys()];
      for (const qi of [0, Math.floor(n / 2), n - 1]) {
        const qid = ids[qi];
        const q = vectors.get(qid)!;
        for (const k of [1, 5, 20, n + 3]) {
          const exclude = new Set([qid]);
          const got = nearest(set, q, k, kind, { exclude });
          const want = nearestNaive(vectors, q, k, kind, exclude);
          assert.deepEqual(got.map((h) => h.id), want.map((h) => h.id), `k=${k} query ${qid}`);
          got.forEach((h, i) => assert.equal(h.distance, want[i].distance));
          assert.ok(!got.some((h) => h.id === qid), 'the query is excluded');
          assert.equal(got.length, Math.min(k, n - 1));
        }
      }
    });
  }
}

test('nearest: without exclusion the query itself comes first at distance 0', () => {
  const vectors = randomVectors(300, 10, 5, true);
  const set = vectorSetOf(vectors);
  const [qid, q] = [...vectors][123];
  const got = nearest(set, q, 3, 'l2');
  assert.equal(got[0].id, qid);
  assert.ok(got[0].distance < 1e-6);
});

test('nearest: ties are ordered by id, duplicates all found', () => {
  const v = Float32Array.from([1, 0, 0]);
  const vectors = new Map<number, Float32Array>([[9, v], [3, v], [5, Float32Array.from([0, 1, 0])], [7, v]]);
  const got = nearest(vectorSetOf(vectors), v, 3, 'l1');
  assert.deepEqual(got.map((h) => h.id), [3, 7, 9]);
});

test('nearest: a query of the wrong width is refused', () => {
  const set = vectorSetOf(randomVectors(5, 10, 1, true));
  assert.throws(() => nearest(set, new Float32Array(9), 3, 'l2'), /9 values/);
});

test('the scan split over worker threads gives the same answer as one thread', async () => {
  const { ScanPool } = await import('../../../../src/main/ml/search/scan-pool.js');
  const vectors = randomVectors(5000, 64, 11, true);
  const set = vectorSetOf(vectors); // 5000 × 64 × 4 bytes: under the shared-memory threshold
  assert.ok(!(set.data.buffer instanceof SharedArrayBuffer));
  const shared = new Float32Array(new SharedArrayBuffer(set.data.byteLength));
  shared.set(set.data);
  const { vectorSet } = await import('../../../../src/main/ml/search/knn.js');
  const sset = vectorSet(set.ids, shared, 64);
  const pool = new ScanPool(sset, 3);
  try {
    for (const kind of ['l1', 'l2', 'cosine'] as const) {
      for (const qi of [0, 2500, 4999]) {
        const id = sset.ids[qi];
        const q = vectors.get(id)!;
        const exclude = new Set([id]);
        assert.deepEqual(await pool.nearest(q, 20, kind, { exclude }), nearest(set, q, 20, kind, { exclude }));
      }
    }
    const both = await Promise.all([pool.nearest(vectors.get(1000)!, 5, 'l2'), pool.nearest(vectors.get(1003)!, 5, 'l2')]);
    assert.deepEqual([both[0][0].id, both[1][0].id], [1000, 1003], 'concurrent queries keep their answers apart');
  } finally {
    pool.dispose();
  }
});

test('vectorSetOf(normalize) packs exactly the rows l2normalize gives (a zero vector stays zero)', async () => {
  const { l2normalize } = await import('../../../../src/main/ml/encoder/distances.js');
  const vectors = randomVectors(50, 33, 4, false);
  vectors.set(7, new Float32Array(33));
  const set = vectorSetOf(vectors, { normalize: true });
  [...vectors.values()].forEach((v, i) => assert.deepEqual(set.data.subarray(i * 33, (i + 1) * 33), l2normalize(v)));
});

test('a scan pool whose thread dies answers later queries in the calling thread', { timeout: 20_000 }, async () => {
  const { ScanPool } = await import('../../../../src/main/ml/search/scan-pool.js');
  const { vectorSet } = await import('../../../../src/main/ml/search/knn.js');
  const vectors = randomVectors(3000, 16, 12, true);
  const plain = vectorSetOf(vectors);
  const shared = new Float32Array(new SharedArrayBuffer(plain.data.byteLength));
  shared.set(plain.data);
  const pool = new ScanPool(vectorSet(plain.ids, shared, 16), 2);
  const q = vectors.get(1000)!;
  const want = nearest(plain, q, 5, 'l2');
  assert.deepEqual(await pool.nearest(q, 5, 'l2'), want);
  try {
    await (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0].terminate();
    await new Promise((r) => setTimeout(r, 50));
    const hung = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the query never answered')), 5000).unref());
    assert.deepEqual(await Promise.race([pool.nearest(q, 5, 'l2'), hung]), want);
  } finally {
    pool.dispose();
    (pool as unknown as { terminate(): void }).terminate();
  }
});
