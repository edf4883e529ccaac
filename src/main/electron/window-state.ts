// Remembers the window's bounds between launches in <userData>/window-state.json. A missing or
// corrupt file, or bounds on a display that is gone, fall back to a centred default window.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../util/make-dirs.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
const MIN = { width: 800, height: 560 };

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads the saved state; `workAreas` are the current displays, used to drop off-screen positions. */
export function loadWindowState(file: string, workAreas: Rect[] = []): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const s = (raw ?? {}) as Record<string, unknown>;
  const state: WindowState = {
    width: num(s.width) ? Math.max(MIN.width, Math.round(s.width)) : DEFAULT_WINDOW_STATE.width,
    height: num(s.height) ? Math.max(MIN.height, Math.round(s.height)) : DEFAULT_WINDOW_STATE.height,
    maximized: s.maximized === true,
  };
  if (num(s.x) && num(s.y)) {
    const rect = { x: Math.round(s.x), y: Math.round(s.y), width: state.width, height: state.height };
    // Keep the position only if a usable part of the title bar is on some display.
    if (workAreas.length === 0 || workAreas.some((a) => visibleEnough(rect, a))) {
      state.x = rect.x;
      state.y = rect.y;
    }
  }
  return state;
}

function visibleEnough(r: Rect, area: Rect): boolean {
  const w = Math.min(r.x + r.width, area.x + area.width) - Math.max(r.x, area.x);
  const h = Math.min(r.y + 40, area.y + area.height) - Math.max(r.y, area.y);
  return w >= 100 && h >= 20;
}

/** Writes atomically (temp file + rename) so a crash mid-write cannot leave a truncated file. */
export function saveWindowState(file: string, bounds: Rect, maximized: boolean): void {
  const state: WindowState = { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, maximized };
  makeDirs(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}
