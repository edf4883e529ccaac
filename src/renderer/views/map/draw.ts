// Drawing the map: every point written straight into one ImageData (a few pixels per point, no
// per-point canvas calls), then put on the canvas once, so 100,000 points redraw in a few
// milliseconds while panning and zooming. Plain TypeScript (no Svelte): the render benchmark
// (bench/map-render.ts) drives the same code in Chromium.

/** Pan and zoom: screen = data × scale + offset (y grows downwards on screen, upwards in data). */
export interface Viewport {
  scale: number;
  ox: number;
  oy: number;
}

export const toScreenX = (v: Viewport, x: number): number => x * v.scale + v.ox;
export const toScreenY = (v: Viewport, y: number): number => -y * v.scale + v.oy;
export const toDataX = (v: Viewport, sx: number): number => (sx - v.ox) / v.scale;
export const toDataY = (v: Viewport, sy: number): number => -(sy - v.oy) / v.scale;

/** The viewport that shows every point with a margin. */
export function fitViewport(xy: Float32Array, width: number, height: number, margin = 24): Viewport {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < xy.length; i += 2) {
    minX = Math.min(minX, xy[i]);
    maxX = Math.max(maxX, xy[i]);
    minY = Math.min(minY, xy[i + 1]);
    maxY = Math.max(maxY, xy[i + 1]);
  }
  if (!Number.isFinite(minX)) return { scale: 1, ox: width / 2, oy: height / 2 };
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const scale = Math.max(1e-9, Math.min(width - 2 * margin, height - 2 * margin) / span);
  return { scale, ox: width / 2 - ((minX + maxX) / 2) * scale, oy: height / 2 + ((minY + maxY) / 2) * scale };
}

/** Zooms by `factor` keeping the data point under (sx, sy) where it is. */
export function zoomAt(v: Viewport, sx: number, sy: number, factor: number): Viewport {
  const scale = v.scale * factor;
  return { scale, ox: sx - (sx - v.ox) * factor, oy: sy - (sy - v.oy) * factor };
}

/** RGBA (0–255) packed as the little-endian Uint32 an ImageData buffer holds. */
export const rgba = (r: number, g: number, b: number, a = 255): number => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;

export function hexToRgba(hex: string, a = 255): number {
  const h = hex.replace('#', '');
  return rgba(parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), a);
}

export interface DrawInput {
  xy: Float32Array;
  /** Per point colour (packed RGBA). */
  colour: Uint32Array;
  /** Per point 1 when selected; with any selection the others are drawn faded. */
  selected: Uint8Array | null;
  /** Point size in device pixels. */
  size: number;
}

export class PointLayer {
  private image: ImageData | null = null;
  private pixels: Uint32Array | null = null;

  /** Redraws every point on `ctx` (device pixels: the viewport is in device pixels too). */
  draw(ctx: CanvasRenderingContext2D, v: Viewport, input: DrawInput): void {
    const { width, height } = ctx.canvas;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.image = ctx.createImageData(width, height);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    const px = this.pixels!;
    px.fill(0);
    const { xy, colour, selected, size } = input;
    const n = xy.length / 2;
    const half = size / 2;
    const { scale, ox, oy } = v;
    // With a selection: the others first, faded; then the selection on top.
    for (let pass = selected ? 0 : 1; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        if (selected && (selected[i] ? pass === 0 : pass === 1)) continue;
        // Bounds checked on floats first: far outside, an int conversion could wrap onto the screen.
        const fx = xy[i * 2] * scale + ox - half;
        const fy = -xy[i * 2 + 1] * scale + oy - half;
        if (!(fx > -size && fy > -size && fx < width && fy < height)) continue;
        const sx = (fx + 0.5) | 0;
        const sy = (fy + 0.5) | 0;
        const c = selected && !selected[i] ? (colour[i] & 0x00ffffff) | 0x38000000 : colour[i];
        const x0 = sx < 0 ? 0 : sx;
        const x1 = sx + size > width ? width : sx + size;
        const y1 = sy + size > height ? height : sy + size;
        // Plain stores: a few pixels per point is cheaper written than through fill() calls.
        for (let y = sy < 0 ? 0 : sy; y < y1; y++) {
          const row = y * width;
          for (let x = x0; x < x1; x++) px[row + x] = c;
        }
      }
    }
    ctx.putImageData(this.image, 0, 0);
  }
}
