// Triplet editing from the command line, for scripting: `triplets`, `add`, `edit`, `undo`, `redo`,
// `history`. The same engine and the same undo stack as the app.
import { Option, type Command } from 'commander';
import { AppError } from '../../../shared/errors.js';
import type { HistoryEntry, ReviewDecision, Split, TripletEdit, TripletRole } from '../../../shared/types.js';
import type { Project } from '../../project/project.js';
import { NameResolver } from '../../images/names.js';
import { resolveAllWritten, resolveWritten } from '../../triplets/written-names.js';
import { lineNames } from '../../triplets/escape.js';
import { tripletLine, tripletLinesFlagged, type TripletLine } from '../../triplets/listing.js';
import { action, numberArg, optionsOf, output, table, withProject } from '../output.js';

const SPLITS = ['train', 'test'];

export function register(program: Command): void {
  program
    .command('triplets')
    .description('list triplets (names as in triplet files, with the file and line each came from)')
    .argument('<dir>', 'project folder')
    .addOption(new Option('--split <split>', 'only this split').choices(SPLITS))
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ split?: Split }>(cmd);
        const rows = await withProject(dir, (p) => tripletLinesFlagged(p.db, opts.split));
        const flagged = rows.filter((r) => r.flag).length;
        output(opts.json, rows, () =>
          rows.length ? linesTable(rows) + `\n${rows.length} triplets${flagged ? ` (${flagged} flagged: an image changed on disk; see \`flagged\`)` : ''}` : 'No triplets.',
        );
      }),
    );

  program
    .command('add')
    .description('add a triplet; names resolve as in triplet files (relative path, or a unique file name)')
    .argument('<dir>', 'project folder')
    .argument('<anchor>')
    .argument('<positive>')
    .argument('<negative>')
    .addOption(new Option('--split <split>', 'which split').choices(SPLITS).makeOptionMandatory())
    .option('--allow-leakage', 'add it even when the same triplet, or all three of its images, are in the other split')
    .action(
      action(async (dir: string, anchor: string, positive: string, negative: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ split: Split; allowLeakage?: boolean }>(cmd);
        const row = await withProject(dir, (p) => withLeakHint(() => add(p, opts.split, [anchor, positive, negative], opts.allowLeakage === true)));
        output(opts.json, row, () => `Added triplet ${row.id} to ${row.split}: ${lineNames([row.anchor, row.positive, row.negative], false).join(' ')}`);
      }),
    );

  program
    .command('edit')
    .description('edit one triplet (one of --swap, --exclude, --include, --delete, --split, --review, --replace); undo with `undo`')
    .argument('<dir>', 'project folder')
    .argument('<id>', 'triplet id (see `triplets`)', numberArg('ID', true))
    .option('--swap', 'swap positive and negative')
    .option('--exclude', 'leave it out of training and test')
    .option('--include', 'take it back in')
    .option('--delete', 'delete it')
    .addOption(new Option('--split <split>', 'move it to this split').choices(SPLITS))
    .addOption(new Option('--review <decision>', 'record a review decision ("ambiguous" also excludes)').choices(['keep', 'ambiguous', 'none']))
    .option('--replace <role=name>', 'replace one image: anchor=NAME, positive=NAME or negative=NAME (names as in triplet files)')
    .option('--allow-leakage', 'with --replace, --split or --include: allow a triplet that leaks across the split (the same triplet, or all three images, in the other split)')
    .action(
      action(async (dir: string, id: number, _o: unknown, cmd: Command) => {
        const opts = optionsOf<EditFlags>(cmd);
        const result = await withProject(dir, (p) => {
          const edit = editOf(opts, p);
          withLeakHint(() => p.editTriplet(id, edit));
          return { id, action: edit.kind, triplet: tripletLine(p.db, id) };
        });
        output(opts.json, result, () => (result.triplet ? `Triplet ${id} (${result.action}):\n${linesTable([result.triplet])}` : `Deleted triplet ${id}`));
      }),
    );

  for (const which of ['undo', 'redo'] as const) {
    program
      .command(which)
      .description(which === 'undo' ? 'undo the last edit (an import counts as one)' : 'redo the edit undone last')
      .argument('<dir>', 'project folder')
      .action(
        action(async (dir: string, _o: unknown, cmd: Command) => {
          const opts = optionsOf(cmd);
          const entry = await withProject(dir, (p) => p[which]());
          if (!entry) throw new AppError('NOT_FOUND', `nothing to ${which}`);
          output(opts.json, entry, () => `${which === 'undo' ? 'Undone' : 'Redone'}: ${describe(entry)}`);
        }),
      );
  }

  program
    .command('history')
    .description('the edit history, newest first (an import is one step)')
    .argument('<dir>', 'project folder')
    .option('--limit <n>', 'at most this many steps', numberArg('limit', true, 1), 100)
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const opts = optionsOf<{ limit: number }>(cmd);
        const entries = await withProject(dir, (p) => p.history({ limit: opts.limit }));
        output(opts.json, entries, () =>
          entries.length
            ? table(['step', 'at', 'what', 'state'], entries.map((e) => [e.id, e.at, describe(e), stateOf(e)]))
            : 'No edits yet.',
        );
      }),
    );
}

interface EditFlags {
  swap?: boolean;
  exclude?: boolean;
  include?: boolean;
  delete?: boolean;
  split?: Split;
  review?: ReviewDecision | 'none';
  replace?: string;
  allowLeakage?: boolean;
}

/** A refusal for leakage alone: the CLI says how to do it anyway (the app asks instead). */
function withLeakHint<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError && (err.details as { leak?: boolean } | undefined)?.leak) {
      throw new AppError(err.code, `${err.message} Add --allow-leakage to do it anyway.`, err.details);
    }
    throw err;
  }
}

/** Exactly one edit flag → the edit (`--replace` names resolve against the project). */
function editOf(o: EditFlags, p: Project): TripletEdit {
  const edits: TripletEdit[] = [];
  if (o.swap) edits.push({ kind: 'swap' });
  if (o.exclude) edits.push({ kind: 'exclude' });
  if (o.include) edits.push({ kind: 'include', ...(o.allowLeakage ? { allowLeakage: true } : {}) });
  if (o.delete) edits.push({ kind: 'delete' });
  if (o.split) edits.push({ kind: 'move', split: o.split, ...(o.allowLeakage ? { allowLeakage: true } : {}) });
  if (o.review) edits.push({ kind: 'review', review: o.review === 'none' ? null : o.review });
  if (o.replace !== undefined) edits.push(replaceOf(o.replace, o.allowLeakage === true, p));
  if (edits.length !== 1) throw new AppError('BAD_ARGUMENTS', 'Give exactly one of --swap, --exclude, --include, --delete, --split S, --review R, --replace ROLE=NAME.');
  if (o.allowLeakage && o.replace === undefined && !o.split && !o.include) throw new AppError('BAD_ARGUMENTS', '--allow-leakage goes with --replace, --split or --include.');
  return edits[0];
}

/** `positive=daisy/1.jpg` → the replace edit; the name resolves like a triplet file's. */
function replaceOf(arg: string, allowLeakage: boolean, p: Project): TripletEdit {
  const m = /^(anchor|positive|negative)=(.+)$/.exec(arg);
  if (!m) throw new AppError('BAD_ARGUMENTS', `--replace: expected anchor=NAME, positive=NAME or negative=NAME, got "${arg}".`);
  const r = resolveWritten(new NameResolver(p.db), m[2]);
  if ('error' in r) throw new AppError('NOT_FOUND', `--replace: ${r.error}`);
  return { kind: 'replace', role: m[1] as TripletRole, imageId: r.id, ...(allowLeakage ? { allowLeakage } : {}) };
}

/** Image ids of three names as in triplet files (NOT_FOUND naming every name that does not resolve). */
export function resolveTripletNames(p: Project, names: readonly [string, string, string]): [number, number, number] {
  const [a, pos, n] = resolveAllWritten(new NameResolver(p.db), names).map((r) => r.id);
  return [a, pos, n];
}

/**
 * Resolves the three names like a triplet file's lines and adds the triplet with the names as read
 * (escapes decoded: a triplet made here stores plain names, which export escapes).
 */
function add(p: Project, split: Split, names: [string, string, string], allowLeakage: boolean): TripletLine {
  const [a, pos, n] = resolveAllWritten(new NameResolver(p.db), names);
  const t = p.createTriplet({ split, anchorId: a.id, positiveId: pos.id, negativeId: n.id, names: [a.name, pos.name, n.name], ...(allowLeakage ? { allowLeakage } : {}) });
  return tripletLine(p.db, t.id)!;
}

/** Rows as triplet-file lines: an imported name as its file wrote it, one made here escaped as export writes it. */
function linesTable(rows: (TripletLine & { flag?: string })[]): string {
  return table(
    ['id', 'split', 'anchor', 'positive', 'negative', 'status', 'source'],
    rows.map((r) => [r.id, r.split, ...lineNames([r.anchor, r.positive, r.negative], r.file !== null), r.flag ? `${r.status}, flagged` : r.status, r.file ? `${r.file}:${r.line}` : 'manual']),
  );
}

function describe(e: HistoryEntry): string {
  if (e.tripletId !== null) return `${e.action} triplet ${e.tripletId}`;
  return `${e.action}${e.count ? ` of ${e.count} triplets` : ''}${e.note ? ` (${e.note})` : ''}`;
}

function stateOf(e: HistoryEntry): string {
  if (e.undoable === false) return 'not undoable';
  return e.discarded ? 'discarded' : e.undone ? 'undone' : 'done';
}
