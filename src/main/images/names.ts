// Resolves names as written in a triplet file to image ids. A name matches an image's name or any of
// its path aliases (the path under each folder it was imported from) or, when only one image has it,
// a file name. Matching is on NFC, so a name typed in one Unicode form finds an image stored in the other.
import type { Db } from '../store/db.js';
import { nameRows } from '../store/images.js';

/** The one normal form for storing and matching image names. */
export const normalizeName = (name: string): string => name.replace(/\\/g, '/').normalize('NFC');

const baseOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

export class NameResolver {
  /** NFC name or alias → images having it. */
  private readonly exact = new Map<string, Set<number>>();
  /** NFC file name → images having it (as name or alias). */
  private readonly byBase = new Map<string, Set<number>>();
  private readonly names = new Map<number, string>();

  constructor(db: Db) {
    for (const r of nameRows(db)) {
      this.names.set(r.id, r.name);
      for (const key of r.alias === null ? [r.name] : [r.name, r.alias]) {
        const n = normalizeName(key);
        add(this.exact, n, r.id);
        add(this.byBase, baseOf(n), r.id);
      }
    }
  }

  /** An image id, or the reason the name does not resolve. */
  resolve(name: string): { id: number } | { error: string } {
    const n = normalizeName(name);
    const exact = this.exact.get(n);
    if (exact) return this.pick(name, exact);
    const base = this.byBase.get(n);
    if (base) return this.pick(name, base);
    return { error: `unknown image "${name}"` };
  }

  private pick(name: string, ids: Set<number>): { id: number } | { error: string } {
    if (ids.size === 1) return { id: ids.values().next().value as number };
    const names = [...ids].map((id) => this.names.get(id)!).sort();
    const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? `, … (${names.length} in all)` : '');
    return { error: `ambiguous name "${name}": matches ${shown}` };
  }
}

function add(map: Map<string, Set<number>>, key: string, id: number): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}
