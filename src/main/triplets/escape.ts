// The escaped form of names in triplet files. A line is `anchor positive negative` split on
// whitespace, and a line whose first non-blank character is `#` is a comment, so some image names
// cannot be written as they are. Export percent-encodes (UTF-8 bytes as %XX) exactly those characters:
//   - any whitespace the parser splits on (space, tab, newline, CR, NBSP, U+202F, …)
//   - other control and invisible format characters (Unicode Cc, Cf, Zl, Zp)
//   - a backslash (some readers take it for a path separator)
//   - a `#` at the start of a name (it would start a comment)
//   - a `%` that is followed by two hex digits (it would read as an escape)
// Import decodes every %XX sequence; a `%` not followed by two hex digits stays a literal `%`, so
// a clean file of ordinary names (including `100%.jpg`) is written and read unchanged.
// Names are not normalised here: matching (NFC) is the resolver's business.

const HEX2 = /^[0-9A-Fa-f]{2}$/;
/** One character that must be escaped anywhere in a name. */
const ALWAYS = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\]/u;
const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function percent(ch: string): string {
  let out = '';
  for (const b of encoder.encode(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  return out;
}

/** True when `name` can be written as it is (export then writes the same bytes). */
export function isPlainName(name: string): boolean {
  return encodeName(name) === name;
}

/**
 * A stored triplet's names as a file line writes them: an imported triplet's as its file had them
 * (already in this form), one made in the app (stored plain) escaped. Export and the CLI's listings.
 */
export function lineNames(names: readonly string[], imported: boolean): string[] {
  return imported ? [...names] : names.map(encodeName);
}

/** The form export writes for an image name. */
export function encodeName(name: string): string {
  let out = '';
  let i = 0;
  for (const ch of name) {
    if (ALWAYS.test(ch) || (i === 0 && ch === '#')) out += percent(ch);
    else if (ch === '%' && HEX2.test(name.slice(i + 1, i + 3))) out += '%25';
    else out += ch;
    i += ch.length;
  }
  return out;
}

/**
 * Decodes a field as written in a file. Consecutive %XX escapes are one UTF-8 byte sequence; an
 * escape that is not valid UTF-8 is an error (the caller reports the line).
 */
export function decodeField(field: string): { name: string } | { error: string } {
  if (!field.includes('%')) return { name: field };
  let out = '';
  let bytes: number[] = [];
  const flush = (): string | null => {
    if (!bytes.length) return null;
    try {
      out += strictUtf8.decode(new Uint8Array(bytes));
      bytes = [];
      return null;
    } catch {
      return `invalid escape in "${field}": ${bytes.map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('')} is not UTF-8 text`;
    }
  };
  for (let i = 0; i < field.length; ) {
    const hex = field.slice(i + 1, i + 3);
    if (field[i] === '%' && HEX2.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    const err = flush();
    if (err) return { error: err };
    out += field[i];
    i++;
  }
  const err = flush();
  return err ? { error: err } : { name: out };
}
