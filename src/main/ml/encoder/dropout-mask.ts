// Dropout masks drawn in plain JS (no tfjs: the ORT member threads draw them too, see weights.ts).

/**
 * Inverted dropout with a mask drawn from a seeded generator: reproducible, and much cheaper than
 * tf.dropout, whose JS random generator dominated a training step. The mulberry32 step is inlined
 * and each 32-bit draw decides two units (16 bits each, so the rate is exact to 1/65536).
 */
export function dropoutMask(size: number, rate: number, seed: number, into?: Float32Array): Float32Array {
  // `into`: a buffer of `size` values to fill instead (the ORT engine reuses its masks' buffers).
  const mask = into ?? new Float32Array(size);
  const threshold = Math.round(rate * 65536);
  const keep = 65536 / (65536 - threshold);
  let s = seed >>> 0;
  for (let i = 0; i < size; i += 2) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    mask[i] = (t & 0xffff) < threshold ? 0 : keep;
    if (i + 1 < size) mask[i + 1] = t >>> 16 < threshold ? 0 : keep;
  }
  return mask;
}
