// Import reports stay small whatever the file: every list keeps its first MAX_LISTED_ISSUES entries
// and a total count, and messages quote only the first few (1M bad lines must not become a 200 MB
// reply, error message or stderr).
import { MAX_LISTED_ISSUES, type TripletImportReport } from '../../shared/types.js';
import { formatIssue } from './parse.js';

/** A list that keeps its first `max` items and counts all. */
export class Capped<T> {
  readonly items: T[] = [];
  count = 0;
  constructor(private readonly max = MAX_LISTED_ISSUES) {}
  push(item: T): void {
    this.count++;
    if (this.items.length < this.max) this.items.push(item);
  }
}

/** Lines quoted in a one-message error (the report carries up to MAX_LISTED_ISSUES). */
export const MESSAGE_LINES = 20;

const n = (x: number) => x.toLocaleString('en-US');

export function leakageWarning(r: TripletImportReport): string | null {
  const l = r.leakage;
  if (!l.triplets) return null;
  const other = r.split === 'train' ? 'test' : 'train';
  const what = l.allowed ? 'imported anyway (--allow-leakage)' : r.refused ? 'the file is refused' : 'skipped';
  return `WARNING: train/test leakage: ${n(l.triplets)} ${l.triplets === 1 ? 'line' : 'lines'} of this ${r.split} file ${l.triplets === 1 ? 'repeats a' : 'repeat a'} ${other} triplet or ${l.triplets === 1 ? 'uses' : 'use'} only images of ${other} triplets (${n(l.sharedImages)} images shared); ${what}`;
}

/** Stored triplets of the other split that this import made leak (kept as they are). */
export function completedLeakWarning(r: TripletImportReport): string | null {
  const l = r.leakage;
  if (!l.completed) return null;
  const other = r.split === 'train' ? 'test' : 'train';
  const ids = (l.completedIds ?? []).slice(0, MESSAGE_LINES).map((id) => `#${id}`).join(', ');
  const more = l.completed > MESSAGE_LINES ? `, … and ${n(l.completed - MESSAGE_LINES)} more` : '';
  return `WARNING: train/test leakage: ${n(l.completed)} stored ${other} ${l.completed === 1 ? 'triplet' : 'triplets'} (${ids}${more}) now ${l.completed === 1 ? 'uses' : 'use'} only images of ${r.split} triplets: this file's lines use all three images of each. ${l.completed === 1 ? 'It was' : 'They were'} kept as ${l.completed === 1 ? 'it is' : 'they are'}; exclude or move ${l.completed === 1 ? 'it' : 'them'} (\`edit\`, or Triplets in the app), or undo the import.`;
}

/** The error message of a refused import: what, why, the first few lines, how to go on. */
export function refusalMessage(r: TripletImportReport): string {
  const out: string[] = [];
  const why: string[] = [];
  if (r.invalidCount) why.push(`${n(r.invalidCount)} invalid line${r.invalidCount === 1 ? '' : 's'}`);
  if (r.leakage.triplets && !r.leakage.allowed) why.push(`${n(r.leakage.triplets)} leaking line${r.leakage.triplets === 1 ? '' : 's'}`);
  const how = [r.invalidCount ? '--skip-invalid to import the valid lines' : '', r.leakage.triplets && !r.leakage.allowed ? '--allow-leakage to import leaking lines anyway' : '']
    .filter(Boolean)
    .join('; ');
  out.push(`${r.file}: ${why.join(' and ')}; nothing imported (${how})`);
  const warning = leakageWarning(r);
  if (warning) out.push(warning);
  out.push(...listed(r));
  return out.join('\n');
}

/** `file:line: message` for the first invalid and leaking lines, with "… and N more". */
function listed(r: TripletImportReport): string[] {
  const lines = [
    ...r.invalid.map(formatIssue),
    ...r.leakage.lines.map((l) => `${l.file}:${l.line}: leakage: ${l.reason}`),
  ];
  const all = r.invalidCount + r.leakage.triplets;
  const shown = lines.slice(0, MESSAGE_LINES);
  if (all > shown.length) shown.push(`… and ${n(all - shown.length)} more (the first ${n(MAX_LISTED_ISSUES)} of each kind are in the --json report)`);
  return shown;
}

/** What the CLI prints to stderr after an import: each list capped, then the remainder counted. */
export function reportLines(r: TripletImportReport, max = MAX_LISTED_ISSUES): string[] {
  const out: string[] = [];
  for (const warning of [leakageWarning(r), completedLeakWarning(r)]) if (warning) out.push(warning);
  const more = (count: number, shown: number, what: string) => (count > shown ? [`… and ${n(count - shown)} more ${what}`] : []);
  const invalid = r.invalid.slice(0, max);
  out.push(...invalid.map((i) => `skipped ${formatIssue(i)}`), ...more(r.invalidCount, invalid.length, 'invalid lines'));
  const leaks = r.leakage.lines.slice(0, max);
  out.push(...leaks.map((l) => `${l.file}:${l.line}: leakage (${r.leakage.allowed ? 'imported' : 'skipped'}): ${l.reason}`));
  out.push(...more(r.leakage.triplets, leaks.length, 'leaking lines'));
  // Plain repeats are counted in the summary; lines the user changed since are listed.
  const changed = r.conflicts.filter((c) => c.kind !== 'repeat').slice(0, max);
  out.push(...changed.map((c) => `not added ${c.file}:${c.line}: ${c.reason}`));
  const changedCount = r.conflictCount - r.duplicates;
  out.push(...more(changedCount, changed.length, 'conflicting lines'));
  return out;
}
