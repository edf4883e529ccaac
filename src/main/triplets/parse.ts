// Parses the research triplet format: one `anchor positive negative` per line, whitespace separated.
// Tolerated: a UTF-8 BOM, CRLF (or CR) line endings, blank lines and comment lines (first non-blank
// character `#`). Names use the escaped form of escape.ts (`%20` for a space, `%23` for a leading `#`,
// …). Nothing is resolved here: the fields are kept exactly as written (so an export gives back the
// same bytes) next to their decoded names, which are not normalised (the resolver matches on NFC).
import type { TripletFileIssue } from '../../shared/types.js';
import { decodeField } from './escape.js';

export interface ParsedLine {
  /** 1-based line number in the file. */
  line: number;
  /** Fields as written. */
  anchor: string;
  positive: string;
  negative: string;
  /** Decoded names (escapes undone). */
  names: [string, string, string];
}

export type LineResult =
  | { kind: 'skip' }
  /** A comment line, with its fields when it has exactly three (it may name a `#…` image by mistake). */
  | { kind: 'comment'; fields: string[] }
  | { kind: 'triplet'; triplet: ParsedLine }
  | { kind: 'issue'; issue: TripletFileIssue };

/** Parses one line (without its line ending; a BOM on line 1 must already be removed). */
export function parseLine(raw: string, line: number, file: string): LineResult {
  const trimmed = raw.trim();
  if (trimmed === '') return { kind: 'skip' };
  const fields = trimmed.split(/\s+/);
  if (trimmed.startsWith('#')) return { kind: 'comment', fields };
  const issue = (message: string): LineResult => ({ kind: 'issue', issue: { file, line, text: clip(raw), message } });
  if (fields.length !== 3) return issue(`expected 3 names (anchor positive negative), found ${fields.length}`);
  const names: string[] = [];
  for (const f of fields) {
    const d = decodeField(f);
    if ('error' in d) return issue(d.error);
    names.push(d.name);
  }
  if (names[0] === names[1] || names[0] === names[2] || names[1] === names[2]) return issue('the same image is used twice in one triplet');
  const [anchor, positive, negative] = fields;
  return { kind: 'triplet', triplet: { line, anchor, positive, negative, names: names as [string, string, string] } };
}

/** A line's text as quoted in a report: long lines are cut (a 200 MB "line" must not be repeated). */
export function clip(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** Splits text into lines, dropping a BOM and a single trailing newline (for small texts; import streams). */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body === '') return [];
  const lines = body.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export interface ParseResult {
  /** Number of lines in the text (a final newline does not start a new line). */
  lines: number;
  triplets: ParsedLine[];
  issues: TripletFileIssue[];
}

/** Parses a small text at once, by the same rules as the streamed import (tests, previews). */
export function parseTriplets(text: string, file: string): ParseResult {
  const lines = splitLines(text);
  const triplets: ParsedLine[] = [];
  const issues: TripletFileIssue[] = [];
  lines.forEach((raw, i) => {
    const r = parseLine(raw, i + 1, file);
    if (r.kind === 'triplet') triplets.push(r.triplet);
    else if (r.kind === 'issue') issues.push(r.issue);
  });
  return { lines: lines.length, triplets, issues };
}

/** One issue as `file:line: message`, the form the CLI prints. */
export function formatIssue(issue: TripletFileIssue): string {
  return `${issue.file}:${issue.line}: ${issue.message}`;
}
