// Groups of images the train triplets say belong together, and extra triplets derived from them.
// Each triplet (a, p, n) says "a is like p" (a must-link) and "a is unlike n" (a cannot-link). The
// same images recur across many triplets, so the must-links chain into groups: if a is like p and p
// is like q, a, p and q form one group. Every (x, y, z) with x, y in one group and z in a group
// cannot-linked to it is then a triplet the user implied but never wrote down; 1,200 triplets over
// ~200 images imply tens of thousands. A wrong label (positive and negative swapped) would merge two
// groups, so a merge is refused when the triplets cannot-link the two groups (see groupImages).

export interface ImageGroups {
  /** Groups of rows (each sorted), index = group id. */
  members: number[][];
  /** Per group, the ids of the groups it is cannot-linked to (more cannot-links than must-links between them). */
  apart: number[][];
  /** Triplets whose anchor and positive ended in different groups (their must-link was outweighed: likely wrong labels). */
  refused: number;
}

/** Max-heap of candidate merges [score, a, b]; stale entries are skipped when popped. */
class MergeHeap {
  private readonly items: [number, number, number][] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: [number, number, number]): void {
    const h = this.items;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (h[up][0] >= h[i][0]) break;
      [h[up], h[i]] = [h[i], h[up]];
      i = up;
    }
  }
  pop(): [number, number, number] {
    const h = this.items;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l][0] > h[m][0]) m = l;
        if (r < h.length && h[r][0] > h[m][0]) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Adds `w` to the link score between a and b (symmetric). */
function addLink(links: Map<number, Map<number, number>>, a: number, b: number, w: number): void {
  if (a === b) return;
  for (const [x, y] of [[a, b], [b, a]]) {
    let m = links.get(x);
    if (!m) links.set(x, (m = new Map()));
    m.set(y, (m.get(y) ?? 0) + w);
  }
}

/**
 * Groups the rows of `triplets` ([a0, p0, n0, …]) by their must-links, weighing the evidence: the
 * score between two groups is (must-links − cannot-links between their members), and the pair with
 * the highest positive score merges first, its links summed, until no pair scores above 0. A
 * swapped triplet (one must-link between two classes already held apart by many cannot-links) then
 * stays one bad triplet instead of merging two groups.
 */
export function groupImages(triplets: Int32Array): ImageGroups {
  const links = new Map<number, Map<number, number>>();
  for (let t = 0; t < triplets.length; t += 3) {
    const [a, p, n] = [triplets[t], triplets[t + 1], triplets[t + 2]];
    for (const x of [a, p, n]) if (!links.has(x)) links.set(x, new Map());
    addLink(links, a, p, 1);
    addLink(links, a, n, -1);
  }
  const rowsOf = new Map<number, number[]>([...links.keys()].map((x) => [x, [x]]));
  const heap = new MergeHeap();
  for (const [x, m] of links) for (const [y, s] of m) if (x < y && s > 0) heap.push([s, x, y]);
  while (heap.size > 0) {
    const [s, x, y] = heap.pop();
    // Stale when either group was merged away or the score changed since it was queued.
    if (!rowsOf.has(x) || !rowsOf.has(y) || links.get(x)!.get(y) !== s) continue;
    const [keep, gone] = rowsOf.get(x)!.length >= rowsOf.get(y)!.length ? [x, y] : [y, x];
    const changed: number[] = [];
    for (const [z, w] of links.get(gone)!) {
      links.get(z)!.delete(gone);
      if (z === keep) continue;
      addLink(links, keep, z, w);
      changed.push(z);
    }
    links.delete(gone);
    links.get(keep)!.delete(gone);
    rowsOf.get(keep)!.push(...rowsOf.get(gone)!);
    rowsOf.delete(gone);
    // Only the links `gone` brought changed; keep's other queued entries are still current.
    for (const z of changed) {
      const w = links.get(keep)!.get(z)!;
      if (w > 0) heap.push([w, Math.min(keep, z), Math.max(keep, z)]);
    }
  }
  const roots = [...rowsOf.keys()];
  const idOf = new Map(roots.map((r, i) => [r, i]));
  const members = roots.map((r) => rowsOf.get(r)!.sort((a, b) => a - b));
  const apart = roots.map((r) => [...links.get(r)!].filter(([, w]) => w < 0).map(([z]) => idOf.get(z)!).sort((a, b) => a - b));
  const groupOf = new Map<number, number>();
  members.forEach((m, i) => m.forEach((r) => groupOf.set(r, i)));
  let refused = 0;
  for (let t = 0; t < triplets.length; t += 3) if (groupOf.get(triplets[t]) !== groupOf.get(triplets[t + 1])) refused++;
  return { members, apart, refused };
}

/** Lookups over groups: a row's group (undefined when in none) and whether two groups are kept apart. */
export interface GroupIndex {
  group(row: number): number | undefined;
  apart(g: number, h: number): boolean;
}

export function groupIndex(groups: ImageGroups): GroupIndex {
  const groupOf = new Map<number, number>();
  groups.members.forEach((m, g) => m.forEach((r) => groupOf.set(r, g)));
  const apart = groups.apart.map((a) => new Set(a));
  return { group: (r) => groupOf.get(r), apart: (g, h) => apart[g].has(h) };
}

/** What the groups say about rows i and j: 1 alike (one group, or the same row), 0 kept apart, null unknown. */
export function relationOf(ix: GroupIndex, i: number, j: number): 1 | 0 | null {
  if (i === j) return 1;
  const [g, h] = [ix.group(i), ix.group(j)];
  if (g === undefined || h === undefined) return null;
  return g === h ? 1 : ix.apart(g, h) ? 0 : null;
}

/**
 * Fraction of `triplets` the groups contradict: anchor and positive in different groups, or anchor
 * and negative in one. About the share of swapped labels when the groups are right (0 for clean
 * class-consistent triplets, 0.10–0.11 on the shared sets' train_noisy.txt with 10% swapped); more
 * when wrong merges joined kinds (0.16 on 200,000 synthetic triplets, 10% swapped, 50 classes).
 */
export function contradiction(groups: ImageGroups, triplets: Int32Array): number {
  const ix = groupIndex(groups);
  let bad = 0;
  for (let t = 0; t < triplets.length; t += 3) {
    const g = ix.group(triplets[t]);
    if (g !== ix.group(triplets[t + 1]) || g === ix.group(triplets[t + 2])) bad++;
  }
  return triplets.length ? bad / (triplets.length / 3) : 0;
}

/**
 * `count` triplets implied by the groups, drawn at random: an anchor and a positive from one group
 * (of two or more rows), a negative from a group cannot-linked to it. Empty when the groups imply
 * none (no group of two rows with a cannot-linked group).
 */
export function deriveTriplets(groups: ImageGroups, count: number, rand: () => number): Int32Array {
  const usable = groups.members.map((m, i) => i).filter((i) => groups.members[i].length >= 2 && groups.apart[i].length > 0);
  if (usable.length === 0 || count <= 0) return new Int32Array(0);
  // Anchors are drawn per row, so a group's share of derived triplets follows its size.
  const anchors = usable.flatMap((i) => groups.members[i].map((row) => [row, i] as const));
  const out = new Int32Array(3 * count);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  for (let k = 0; k < count; k++) {
    const [a, gi] = pick(anchors);
    const own = groups.members[gi];
    let p = pick(own);
    while (p === a) p = pick(own);
    const other = groups.members[pick(groups.apart[gi])];
    out[3 * k] = a;
    out[3 * k + 1] = p;
    out[3 * k + 2] = pick(other);
  }
  return out;
}
