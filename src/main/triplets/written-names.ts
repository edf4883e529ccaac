// Names given on the command line (add, neighbours, judge, edit --replace, remove-images) resolve as a
// triplet file's fields do: `%XX` escapes decoded first — the form `triplets`, `export-triplets` and
// the names files of `encode` print — then, when that finds nothing, the name exactly as written (a
// file literally named `a%20b.jpg`).
import { AppError } from '../../shared/errors.js';
import type { NameResolver } from '../images/names.js';
import { decodeField, encodeName } from './escape.js';

/**
 * An image id for a name as written, with the name it was read as (`name`: decoded when that reading
 * found the image, else as written; what a triplet made from it stores), or why it does not resolve.
 */
export function resolveWritten(resolver: NameResolver, written: string): { id: number; name: string } | { error: string } {
  const decoded = decodeField(written);
  if ('error' in decoded) {
    const asWritten = resolver.resolve(written);
    return 'id' in asWritten ? { id: asWritten.id, name: written } : { error: decoded.error };
  }
  const r = resolver.resolve(decoded.name);
  if ('id' in r) {
    // Both readings are images (`a b.jpg`, and a file literally named `a%20b.jpg`): neither is bound
    // silently; the message says how to write each.
    const asWritten = decoded.name === written ? r : resolver.resolve(written);
    if ('id' in asWritten && asWritten.id !== r.id) {
      return { error: `ambiguous name "${written}": read with its escapes it is "${decoded.name}", as written it is another image; give "${decoded.name}" as it is (quoted) for the first or "${encodeName(written)}" for the second` };
    }
    return { id: r.id, name: decoded.name };
  }
  if (decoded.name === written) return r;
  const asWritten = resolver.resolve(written);
  return 'id' in asWritten ? { id: asWritten.id, name: written } : { error: `${r.error} (written "${written}")` };
}

/** Several names as written, in order, each with its id and the name read; NOT_FOUND naming every name that does not resolve (`after`: added to the message). */
export function resolveAllWritten(resolver: NameResolver, names: readonly string[], after = ''): { id: number; name: string }[] {
  const errors: string[] = [];
  const found = names.map((n) => {
    const r = resolveWritten(resolver, n);
    if ('error' in r) errors.push(r.error);
    return 'id' in r ? r : { id: 0, name: n };
  });
  if (errors.length) throw new AppError('NOT_FOUND', errors.join('; ') + after);
  return found;
}
