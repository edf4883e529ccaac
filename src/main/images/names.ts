// Resolves names as written in a triplet file to image ids. A name matches an image's name, any of its
// path aliases — the path under each folder it was imported from, alone or under that folder's name
// (`cam1/IMG_0001.jpg`) — or, when only one image has it (as a name or in a subfolder), a file name. Matching is on NFC, so a name
// typed in one Unicode form finds an image stored in the other. A name that fits several images is
// an error listing names that do resolve, never a silent pick.
import { basename } from 'node:path';
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
  /** Every key of an image, its name first (to suggest one that resolves). */
  private readonly keys = new Map<number, string[]>();
  private readonly names = new Map<number, string>();

  constructor(db: Db) {
    for (const r of nameRows(db)) {
      this.names.set(r.id, r.name);
      const keys = [r.name];
      if (r.alias !== null) {
        keys.push(r.alias);
        const folder = r.root ? basename(r.root) : '';
        if (folder) keys.push(`${folder}/${r.alias}`);
      }
      for (const key of keys) this.addKey(r.id, normalizeName(key));
    }
  }

  private addKey(id: number, key: string): void {
    add(this.exact, key, id);
    add(this.byBase, baseOf(key), id);
    const list = this.keys.get(id) ?? [];
    if (!list.includes(key)) list.push(key);
    this.keys.set(id, list);
  }

  /** An image id, or the reason the name does not resolve. */
  resolve(name: string): { id: number } | { error: string } {
    const ids = this.matches(normalizeName(name));
    if (!ids.size) return { error: `unknown image "${name}"` };
    if (ids.size === 1) return { id: ids.values().next().value as number };
    const names = [...ids].map((id) => this.unambiguousName(id)).sort();
    const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? `, … (${names.length} in all)` : '');
    return { error: `ambiguous name "${name}": matches ${shown}` };
  }

  /**
   * Every image a normalised name fits. A bare file name fits an image named so and every image with
   * that file name in a subfolder: an exact match must not win over the others, or importing a folder
   * with a `d1.jpg` at its top would silently bind a file's `d1.jpg` to it instead of `daisy/d1.jpg`.
   */
  private matches(n: string): Set<number> {
    const exact = this.exact.get(n);
    const base = n.includes('/') ? undefined : this.byBase.get(n);
    if (!exact || !base) return exact ?? base ?? new Set();
    return new Set([...exact, ...base]);
  }

  /** A name that resolves to this image alone (its name when it does), to suggest in errors. */
  private unambiguousName(id: number): string {
    const keys = this.keys.get(id) ?? [];
    return keys.find((k) => this.matches(k).size === 1) ?? this.names.get(id)!;
  }
}

function add(map: Map<string, Set<number>>, key: string, id: number): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}
