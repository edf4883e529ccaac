import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveTriplets, groupImages } from '../../../../../src/main/ml/encoder/miners/groups.js';
import { seededRandom } from '../../../../../src/main/ml/encoder/rng.js';

/** `count` class-consistent triplets over `classes` classes of `perClass` images (image i is in class i % classes). */
function classTriplets(classes: number, perClass: number, count: number, seed: number): Int32Array {
  const rand = seededRandom(seed);
  const n = classes * perClass;
  const t: number[] = [];
  while (t.length < 3 * count) {
    const [a, p, x] = [0, 0, 0].map(() => Math.floor(rand() * n));
    if (a !== p && a % classes === p % classes && a % classes !== x % classes) t.push(a, p, x);
  }
  return Int32Array.from(t);
}

const classOf = (g: number[], classes: number): Set<number> => new Set(g.map((r) => r % classes));

test('groups: chained must-links recover the classes; every group is held apart from the others', () => {
  const g = groupImages(classTriplets(4, 20, 300, 1));
  assert.equal(g.members.length, 4);
  for (const m of g.members) assert.equal(classOf(m, 4).size, 1, `one class per group: ${m}`);
  assert.deepEqual(g.members.map((m) => m.length), [20, 20, 20, 20]);
  for (const a of g.apart) assert.equal(a.length, 3);
  assert.equal(g.refused, 0);
});

test('groups: swapped triplets (10%) do not merge classes; their must-links are reported as refused', () => {
  const t = classTriplets(4, 20, 300, 2);
  for (let k = 0; k < 30; k++) [t[9 * k + 1], t[9 * k + 2]] = [t[9 * k + 2], t[9 * k + 1]]; // swap every third triplet's P and N
  const g = groupImages(t);
  const big = g.members.filter((m) => m.length > 2);
  assert.equal(big.length, 4, `4 large groups: ${g.members.map((m) => m.length)}`);
  for (const m of big) {
    const counts = new Map<number, number>();
    for (const r of m) counts.set(r % 4, (counts.get(r % 4) ?? 0) + 1);
    assert.ok(Math.max(...counts.values()) >= m.length - 1, `nearly pure group: ${[...counts]}`);
  }
  assert.ok(g.refused >= 25, `${g.refused} must-links refused`);
});

test('derived triplets: anchor and positive share a group, the negative is from a group held apart; seeded', () => {
  const g = groupImages(classTriplets(3, 10, 120, 3));
  const d = deriveTriplets(g, 500, seededRandom(7));
  assert.equal(d.length, 1500);
  for (let k = 0; k < d.length; k += 3) {
    assert.notEqual(d[k], d[k + 1]);
    assert.equal(d[k] % 3, d[k + 1] % 3);
    assert.notEqual(d[k] % 3, d[k + 2] % 3);
  }
  assert.deepEqual(deriveTriplets(g, 500, seededRandom(7)), d);
});

test('derived triplets: none when the triplets contradict each other (no group of two)', () => {
  // (0, 1, 2) and (0, 2, 1): each must-link is cancelled by a cannot-link, so every image stays alone.
  const g = groupImages(Int32Array.from([0, 1, 2, 0, 2, 1]));
  assert.equal(g.members.length, 3);
  assert.equal(deriveTriplets(g, 10, seededRandom(1)).length, 0);
});
