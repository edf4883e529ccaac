// What the labelled train triplets already say about pairs of images, for choosing suggestions:
// which images are known alike (linked by anchor–positive pairs, transitively) and which groups are
// known different (an anchor–negative pair between them), plus how often each image is used.
import type { Triplet } from '../encoder/distances.js';

export interface Evidence {
  /** 1 when the labels link i and j as alike, 0 when they mark them different, null when unknown. */
  known(i: number, j: number): 0 | 1 | null;
  /** How many train triplets use the image. */
  uses(id: number): number;
}

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(x: number): number {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/**
 * Builds the evidence from train triplets. Anchor–positive pairs are taken as "alike" (a labeller
 * put them together), anchor–negative pairs as "different"; a group marked both ways (inconsistent
 * labels) is treated as unknown rather than trusted.
 */
export function evidenceOf(train: readonly Triplet[]): Evidence {
  const uf = new UnionFind();
  const uses = new Map<number, number>();
  for (const [a, p, n] of train) {
    uf.union(a, p);
    for (const x of [a, p, n]) uses.set(x, (uses.get(x) ?? 0) + 1);
  }
  const apart = new Set<string>();
  const key = (x: number, y: number): string => (x < y ? `${x},${y}` : `${y},${x}`);
  for (const [a, , n] of train) apart.add(key(uf.find(a), uf.find(n)));
  return {
    known(i, j) {
      const ri = uf.find(i);
      const rj = uf.find(j);
      if (ri === rj) return apart.has(key(ri, rj)) ? null : 1;
      return apart.has(key(ri, rj)) ? 0 : null;
    },
    uses: (id) => uses.get(id) ?? 0,
  };
}
