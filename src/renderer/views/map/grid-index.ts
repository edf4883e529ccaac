// A uniform grid over the points' bounding box (data coordinates), in CSR form: hover and lasso
// look only at the cells they touch instead of scanning all 100,000 points per mouse move.

export class GridIndex {
  readonly minX: number;
  readonly minY: number;
  readonly cell: number;
  readonly cols: number;
  readonly rows: number;
  /** Points of cell c are items[start[c] .. start[c + 1]). */
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  constructor(private readonly xy: Float32Array) {
    const n = xy.length / 2;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      const x = xy[i * 2];
      const y = xy[i * 2 + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (n === 0) [minX, minY, maxX, maxY] = [0, 0, 1, 1];
    const span = Math.max(maxX - minX, maxY - minY, 1e-9);
    // About 4 points per cell on average, at most 512 cells a side.
    const side = Math.min(512, Math.max(1, Math.ceil(Math.sqrt(n / 4))));
    this.cell = (span / side) * 1.0001;
    this.minX = minX;
    this.minY = minY;
    this.cols = Math.max(1, Math.ceil((maxX - minX) / this.cell) + 1);
    this.rows = Math.max(1, Math.ceil((maxY - minY) / this.cell) + 1);
    const cellOf = new Int32Array(n);
    const counts = new Int32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellAt(xy[i * 2], xy[i * 2 + 1]);
      cellOf[i] = c;
      counts[c + 1]++;
    }
    for (let c = 0; c < this.cols * this.rows; c++) counts[c + 1] += counts[c];
    this.start = counts;
    this.items = new Int32Array(n);
    const fill = counts.slice(0, -1);
    for (let i = 0; i < n; i++) this.items[fill[cellOf[i]]++] = i;
  }

  private cellAt(x: number, y: number): number {
    const cx = Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.minX) / this.cell)));
    const cy = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cell)));
    return cy * this.cols + cx;
  }

  /** Calls fn for every point in the cells overlapping the box (a superset of the points inside it). */
  eachInBox(x0: number, y0: number, x1: number, y1: number, fn: (i: number) => void): void {
    const cx0 = Math.max(0, Math.floor((x0 - this.minX) / this.cell));
    const cx1 = Math.min(this.cols - 1, Math.floor((x1 - this.minX) / this.cell));
    const cy0 = Math.max(0, Math.floor((y0 - this.minY) / this.cell));
    const cy1 = Math.min(this.rows - 1, Math.floor((y1 - this.minY) / this.cell));
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const c = cy * this.cols + cx;
        for (let k = this.start[c]; k < this.start[c + 1]; k++) fn(this.items[k]);
      }
    }
  }

  /** The point nearest to (x, y) within radius r (data units), or -1. */
  nearest(x: number, y: number, r: number): number {
    let best = -1;
    let bestD = r * r;
    this.eachInBox(x - r, y - r, x + r, y + r, (i) => {
      const d = (this.xy[i * 2] - x) ** 2 + (this.xy[i * 2 + 1] - y) ** 2;
      if (d <= bestD) (bestD = d), (best = i);
    });
    return best;
  }

  /** Points inside a polygon (data coordinates, [x0, y0, x1, y1, …]), by even–odd ray casting. */
  inPolygon(poly: number[]): number[] {
    const out: number[] = [];
    if (poly.length < 6) return out;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let k = 0; k < poly.length; k += 2) {
      x0 = Math.min(x0, poly[k]);
      x1 = Math.max(x1, poly[k]);
      y0 = Math.min(y0, poly[k + 1]);
      y1 = Math.max(y1, poly[k + 1]);
    }
    this.eachInBox(x0, y0, x1, y1, (i) => {
      if (insidePolygon(this.xy[i * 2], this.xy[i * 2 + 1], poly)) out.push(i);
    });
    return out;
  }
}

export function insidePolygon(x: number, y: number, poly: number[]): boolean {
  let inside = false;
  const m = poly.length / 2;
  for (let a = 0, b = m - 1; a < m; b = a++) {
    const [ax, ay, bx, by] = [poly[a * 2], poly[a * 2 + 1], poly[b * 2], poly[b * 2 + 1]];
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}
