// Small formatting helpers shared by the views.
import { percentText } from '../../shared/percent-text.js';
import type { RunSummary } from '../../shared/types.js';
import { whyNoTestScore } from '../../shared/left-out.js';

/** "1 min 5 s", "42 s", "2 h 3 min"; empty for unknown. */
/** The last part of a folder path ("flowers" for /photos/flowers/), for names in lists and sentences. */
export const folderName = (dir: string): string => dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;

export function formatEta(seconds: number | undefined | null): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatPercent(x: number | null | undefined, digits = 1): string {
  return x == null || !Number.isFinite(x) ? '—' : percentText(x, digits);
}

/**
 * The change between two accuracies as they are shown (each to 0.1%): 84.2% after 84.8% reads −0.6
 * points, not the −0.7 of the unrounded values, which would look like a wrong subtraction.
 */
export function shownChange(after: number, before: number): number {
  return Math.round(after * 1000) / 1000 - Math.round(before * 1000) / 1000;
}

/** A change in accuracy (a fraction) in signed percentage points: "+0.8 points", "−1.2 points". */
export function formatPoints(delta: number): string {
  return `${delta >= 0 ? '+' : '−'}${Math.abs(delta * 100).toFixed(1)} points`;
}

/**
 * How far training seeds alone move the difference between two runs, in points. One run's accuracy
 * moves with its seed by sd 0.4–1.5 points (image-disjoint validation on the shared sets' train.txt,
 * seeds 1–5: README "Benchmarks", train-engine parity), a difference of two runs by about √2 as much.
 */
export const SEED_SPREAD_POINTS = 2;

/**
 * Why a change between two runs scored on the same `count` test triplets may not mean much, in words
 * (null when nothing to say): a small test set moves in large steps, and seeds alone move a couple
 * of points.
 */
export function accuracyChangeCaveat(delta: number, count: number): string | null {
  const parts: string[] = [];
  if (count > 0 && count < 100) parts.push(`one test triplet of ${count} is ${(100 / count).toFixed(1)} points`);
  if (Math.abs(delta * 100) < SEED_SPREAD_POINTS) parts.push(`under ${SEED_SPREAD_POINTS} points is within what training seeds alone move`);
  return parts.length ? parts.join('; ') : null;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/**
 * A job's speed in its own units: "32.4 images/s" while features are computed, "1.2 MB/s" for byte
 * counts (downloads, triplet-file imports), "120/s" otherwise; empty when unknown.
 */
export function formatJobRate(job: { kind?: string; phase: string; rate?: number }): string {
  const r = job.rate;
  if (r == null || !Number.isFinite(r) || r <= 0) return '';
  if ((job.kind === 'download' && job.phase === 'download') || job.kind === 'import-triplets') return `${(r / 1048576).toFixed(1)} MB/s`;
  const n = r < 1 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : formatNumber(Math.round(r));
  return job.phase === 'features' ? `${n} images/s` : `${n}/s`;
}

/** Why a finished run has no test accuracy (after "Run #N finished: "): no test triplet, or none it could score. */
export const noTestScoreText = (r: RunSummary): string =>
  whyNoTestScore(r.leftOut?.testCount ?? 0, 'import a test file in Triplets, or move triplets to test with M');

/** A finished run's accuracy on the test labels as they are now: "86.0%", "86.0% of 590 (10 unscored)", "—". */
export function nowText(r: RunSummary): string {
  const n = r.now;
  if (!n || n.accuracy === null) return n && n.unscored > 0 ? `— (${formatNumber(n.unscored)} unscored)` : '—';
  return n.unscored > 0 ? `${formatPercent(n.accuracy)} of ${formatNumber(n.scored)} (${formatNumber(n.unscored)} unscored)` : formatPercent(n.accuracy);
}
