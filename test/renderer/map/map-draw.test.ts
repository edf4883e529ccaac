// The map's hit testing and drawing, without a browser: the grid index agrees with brute force
// (nearest point, lasso polygon), zoom keeps the point under the cursor, and the point layer writes
// each point's colour where the viewport puts it (faded when a selection excludes it), never
// wrapping a far-away point onto the screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitViewport, PointLayer, rgba, toDataX, toDataY, toScreenX, toScreenY, zoomAt } from '../../../src/renderer/views/map/draw.js';
import { GridIndex, insidePolygon } from '../../../src/renderer/views/map/grid-index.js';
import { seededRandom } from '../../../src/main/ml/encoder/rng.js';

function cloud(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const xy = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) (xy[i * 2] = (rand() - 0.5) * 40 + (i % 3) * 30), (xy[i * 2 + 1] = (rand() - 0.5) * 20);
  return xy;
}

test('GridIndex.nearest and inPolygon agree with brute force', () => {
  const xy = cloud(5000, 1);
  const grid = new GridIndex(xy);
  const rand = seededRandom(2);
  for (let q = 0; q < 300; q++) {
    const [x, y, r] = [(rand() - 0.2) * 100, (rand() - 0.5) * 30, rand() * 2];
    let best = -1;
    let bestD = r * r;
    for (let i = 0; i < 5000; i++) {
      const d = (xy[i * 2] - x) ** 2 + (xy[i * 2 + 1] - y) ** 2;
      if (d <= bestD) (bestD = d), (best = i);
    }
    const got = grid.nearest(x, y, r);
    if (best < 0) assert.equal(got, -1);
    else assert.equal((xy[got * 2] - x) ** 2 + (xy[got * 2 + 1] - y) ** 2, bestD);
  }
  // A concave polygon (an L shape).
  const poly = [-20, -10, 30, -10, 30, -2, 0, -2, 0, 10, -20, 10];
  const expected = [];
  for (let i = 0; i < 5000; i++) if (insidePolygon(xy[i * 2], xy[i * 2 + 1], poly)) expected.push(i);
  assert.ok(expected.length > 100);
  assert.deepEqual(grid.inPolygon(poly).sort((a, b) => a - b), expected);
  assert.equal(insidePolygon(10, 5, poly), false, 'the notch of the L is outside');
});

test('viewport: fit shows every point, zoom keeps the point under the cursor', () => {
  const xy = cloud(1000, 3);
  const v = fitViewport(xy, 800, 600, 20);
  for (let i = 0; i < 1000; i++) {
    const [sx, sy] = [toScreenX(v, xy[i * 2]), toScreenY(v, xy[i * 2 + 1])];
    assert.ok(sx >= 19.9 && sx <= 780.1 && sy >= 19.9 && sy <= 580.1, `point ${i} at ${sx}, ${sy}`);
  }
  const [dx, dy] = [toDataX(v, 300), toDataY(v, 200)];
  const z = zoomAt(v, 300, 200, 3.7);
  assert.ok(Math.abs(toScreenX(z, dx) - 300) < 1e-9 && Math.abs(toScreenY(z, dy) - 200) < 1e-9);
  assert.ok(Math.abs(z.scale / v.scale - 3.7) < 1e-12);
});

/** A stand-in 2-D context: ImageData as plain arrays, putImageData records what was put. */
function fakeCtx(width: number, height: number) {
  const put: { data: Uint8ClampedArray }[] = [];
  const ctx = {
    canvas: { width, height },
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData: (img: { data: Uint8ClampedArray }) => put.push(img),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, put };
}

test('PointLayer writes each point at its place; unselected fade; far points never wrap on screen', () => {
  const xy = new Float32Array([0, 0, 10, 5, 3e9, 3e9, -3e9, 0]);
  const colour = new Uint32Array([rgba(255, 0, 0), rgba(0, 255, 0), rgba(0, 0, 255), rgba(0, 0, 255)]);
  const { ctx, put } = fakeCtx(100, 80);
  const v = { scale: 4, ox: 20, oy: 60 };
  new PointLayer().draw(ctx, v, { xy, colour, selected: new Uint8Array([1, 0, 0, 0]), size: 2 });
  const px = new Uint32Array(put[0].data.buffer);
  const at = (x: number, y: number) => px[Math.round(toScreenY(v, y)) * 100 + Math.round(toScreenX(v, x))];
  assert.equal(at(0, 0), rgba(255, 0, 0), 'selected point in full colour');
  assert.equal(at(10, 5) >>> 24, 0x38, 'unselected point faded');
  assert.equal((at(10, 5) & 0xffffff) >>> 0, rgba(0, 255, 0) & 0xffffff);
  // Only the two on-screen points' pixels are set (2×2 each).
  assert.equal(px.filter((c) => c !== 0).length, 8);
});
