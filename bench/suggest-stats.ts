// Summaries of the suggestion benchmark's paired gains (one value per seed and arm, every arm of a
// seed trained with the same seed on the same start triplets): mean ± sd, the paired difference
// between two arms, and the ratio of mean gains with a bootstrap spread over seeds.
import { seededRandom } from '../src/main/ml/encoder/rng.js';

export const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
export const sd = (xs: number[]): number => (xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)) : 0);
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
export const pm = (xs: number[]): string => `${signed(mean(xs))} ± ${sd(xs).toFixed(4)}`;

/** Per-seed difference a − b (paired: same seed, same start, same scoring set). */
export const paired = (a: number[], b: number[]): number[] => a.map((x, i) => x - b[i]);

/**
 * mean(a) / mean(b) and its 10th–90th percentile over 2,000 bootstrap resamples of the seeds (both
 * arms resampled together, as they are paired). null when b's mean gain is not positive.
 */
export function ratioWithSpread(a: number[], b: number[], seed = 1): { ratio: number; lo: number; hi: number } | null {
  if (!(mean(b) > 0)) return null;
  const rand = seededRandom(seed);
  const rs: number[] = [];
  for (let k = 0; k < 2000; k++) {
    const ix = a.map(() => Math.floor(rand() * a.length));
    const mb = mean(ix.map((i) => b[i]));
    // A resample where the baseline gained nothing has no finite ratio: count it as the worst case.
    rs.push(mb > 0 ? mean(ix.map((i) => a[i])) / mb : Number.NEGATIVE_INFINITY);
  }
  rs.sort((x, y) => x - y);
  return { ratio: mean(a) / mean(b), lo: rs[Math.floor(0.1 * rs.length)], hi: rs[Math.floor(0.9 * rs.length)] };
}

export function describeRatio(a: number[], b: number[]): string {
  const r = ratioWithSpread(a, b);
  if (!r) return 'n/a (baseline gained nothing)';
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '−∞');
  return `${r.ratio.toFixed(2)} (bootstrap 10–90%: ${f(r.lo)} … ${f(r.hi)})`;
}
