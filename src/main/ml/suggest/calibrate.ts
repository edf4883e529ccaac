// How likely two images are alike given their distance: a one-feature logistic fit on the train
// triplets' pairs (anchor–positive alike, anchor–negative not), softened by a temperature because
// the encoder has fitted exactly those pairs (unseen pairs are less well separated).
export type SameProbability = (d: number) => number;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Fits p(alike | d) = σ(w·(t − d)) by Newton's method on (distance, alike) samples. */
export function fitLogistic(dist: Float64Array, alike: Uint8Array): { w: number; t: number } {
  // Parametrised as σ(b0 + b1·d); start at the midpoint of the two means.
  let m1 = 0;
  let m0 = 0;
  let n1 = 0;
  for (let i = 0; i < dist.length; i++) alike[i] ? ((m1 += dist[i]), n1++) : (m0 += dist[i]);
  m1 /= Math.max(n1, 1);
  m0 /= Math.max(dist.length - n1, 1);
  const spread = Math.max(Math.abs(m0 - m1), 1e-6);
  let b1 = -4 / spread;
  let b0 = (-b1 * (m0 + m1)) / 2;
  for (let it = 0; it < 25; it++) {
    let g0 = 0, g1 = 0, h00 = 1e-6, h01 = 0, h11 = 1e-6;
    for (let i = 0; i < dist.length; i++) {
      const p = sigmoid(b0 + b1 * dist[i]);
      const r = alike[i] - p;
      const v = p * (1 - p);
      g0 += r;
      g1 += r * dist[i];
      h00 += v;
      h01 += v * dist[i];
      h11 += v * dist[i] * dist[i];
    }
    // A light ridge keeps separable data (a perfectly fitted train set) from running off to ±∞.
    h11 += 1e-3 * dist.length;
    g1 -= 1e-3 * dist.length * (b1 - -4 / spread);
    const det = h00 * h11 - h01 * h01;
    if (!(Math.abs(det) > 1e-12)) break;
    const d0 = (h11 * g0 - h01 * g1) / det;
    const d1 = (h00 * g1 - h01 * g0) / det;
    b0 += d0;
    b1 += d1;
    if (Math.abs(d0) + Math.abs(d1) < 1e-7) break;
  }
  const w = Math.max(-b1, 1e-6);
  return { w, t: b0 / w };
}

/**
 * p(alike | d) from labelled pairs; `temperature` > 1 flattens it. Without enough labels, a prior
 * from the distances themselves: pairs closer than the `priorQuantile` of all distances are likely alike.
 */
export function calibrate(
  pairs: { dist: Float64Array; alike: Uint8Array } | null,
  allDistances: Float64Array,
  opts: { temperature: number; minPairs: number; priorQuantile: number },
): SameProbability {
  if (pairs && pairs.dist.length >= opts.minPairs && pairs.alike.some((x) => x) && pairs.alike.some((x) => !x)) {
    const { w, t } = fitLogistic(pairs.dist, pairs.alike);
    const k = w / opts.temperature;
    return (d) => sigmoid(k * (t - d));
  }
  const sorted = Float64Array.from(allDistances).sort();
  const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(f * (sorted.length - 1))))] ?? 0;
  const t = q(opts.priorQuantile);
  const scale = Math.max((q(opts.priorQuantile * 2) - q(opts.priorQuantile / 2)) / 2, 1e-6);
  return (d) => sigmoid((t - d) / scale);
}
