// Parses the research triplet format: one `anchor positive negative` per line, whitespace separated.
// Tolerated: a UTF-8 BOM, CRLF line endings, blank lines and `#` comment lines. Nothing is resolved
// here; names are kept exactly as written so an export can give back the same bytes.
import type { TripletFileIssue } from '../../shared/types.js';

export interface ParsedLine {
  /** 1-based line number in the file. */
  line: number;
  anchor: string;
  positive: string;
  negative: string;
}

export interface ParseResult {
  /** Number of lines in the file (a final newline does not start a new line). */
  lines: number;
  triplets: ParsedLine[];
  issues: TripletFileIssue[];
}

/** Splits text into lines, dropping a BOM and a single trailing newline. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body === '') return [];
  const lines = body.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function parseTriplets(text: string, file: string): ParseResult {
  const lines = splitLines(text);
  const triplets: ParsedLine[] = [];
  const issues: TripletFileIssue[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    if (fields.length !== 3) {
      issues.push({ file, line, text: raw, message: `expected 3 names (anchor positive negative), found ${fields.length}` });
      return;
    }
    const [anchor, positive, negative] = fields;
    if (anchor === positive || anchor === negative || positive === negative) {
      issues.push({ file, line, text: raw, message: 'the same image is used twice in one triplet' });
      return;
    }
    triplets.push({ line, anchor, positive, negative });
  });
  return { lines: lines.length, triplets, issues };
}

/** One issue as `file:line: message`, the form the CLI prints. */
export function formatIssue(issue: TripletFileIssue): string {
  return `${issue.file}:${issue.line}: ${issue.message}`;
}
