// `audit`: likely-wrong train triplets (scored by cross-validated encoders), contradictions,
// duplicate images and train/test leakage.
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { AuditReport } from '../../../shared/types.js';
import { action, formatSeconds, interruptSignal, numberArg, optionsOf, output, progressBar, table, withProject } from '../output.js';
import { encodeName } from '../../triplets/escape.js';
import { AUDIT_RANGES } from '../../project/audit.js';

interface AuditFlags {
  folds?: number;
  repeats?: number;
  epochs?: number;
  seed?: number;
  backbone?: string;
  limit: number;
}

const where = (t: { file: string | null; line: number | null }): string => (t.file && t.line !== null ? `${basename(t.file)}:${t.line}` : 'made in the app');

/** The human report: the worst suspects, then the checks. */
function describe(r: AuditReport, limit: number): string {
  const m = r.method;
  const top = r.suspects.slice(0, limit);
  const out = [
    `Audit of ${r.suspects.length} train triplets (${m.folds} folds × ${m.repeats} repeats, ${m.epochs} epochs, ${m.backbone}; ${formatSeconds(r.seconds)}).`,
    `Score = d(A,P) − d(A,N) from models that never trained on the triplet${m.groupWeight ? `, plus ${m.groupWeight === 1 ? '' : `${m.groupWeight} × `}the other labels' vote (+1 when they group the negative with the anchor, −1 the positive)` : ''}; above 0 the label looks wrong.`,
  ];
  const above = r.suspects.filter((s) => s.score > 0).length;
  if (r.suspects.length) out.push(`${above} of ${r.suspects.length} score above 0 (look mislabelled).`);
  if (r.suspects.length === 0 && !r.unscored) out.push('No train triplets to score yet: import a train file (`import-triplets DIR FILE --split train`) or answer suggestions (`suggest DIR`). The checks below looked at the images and test triplets.');
  if (r.unscored) out.push(`${r.unscored} train triplets not scored: an image has no features (missing or undecodable file).`);
  if (top.length) {
    out.push(
      table(
        ['id', 'where', 'score', 'anchor', 'positive', 'negative', ''],
        top.map((s) => [s.id, where(s), s.score.toFixed(3), ...[s.anchor, s.positive, s.negative].map(encodeName), s.kept ? 'kept' : '']),
      ),
    );
    if (r.suspects.length > limit) out.push(`… ${r.suspects.length - limit} more (--limit N, or --json for all)`);
  }
  out.push(`${r.contradictions.length} contradictions${r.contradictions.length ? ':' : '.'}`);
  for (const c of r.contradictions.slice(0, limit)) out.push(`  #${c.a.id} (${c.a.split}, ${where(c.a)}) vs #${c.b.id} (${c.b.split}, ${where(c.b)}): ${[c.a.anchor, c.a.positive, c.a.negative].map(encodeName).join(' ')}`);
  out.push(`${r.duplicates.length} duplicate groups${r.duplicates.length ? ':' : '.'}`);
  for (const d of r.duplicates.slice(0, limit)) {
    const extra = d.kind === 'near' ? ` (distance ${d.distance!.toFixed(3)})` : d.kind === 'paths' ? `: ${d.paths!.join(', ')}` : '';
    out.push(`  ${d.kind}: ${d.images.map((i) => encodeName(i.name)).join(' = ')}${extra}`);
  }
  out.push(`${r.leakage.length} train triplets leak into test${r.leakage.length ? ':' : '.'}`);
  for (const l of r.leakage.slice(0, limit)) out.push(`  #${l.triplet.id} (${where(l.triplet)}): ${l.reason}`);
  return out.join('\n');
}

export function register(program: Command): void {
  program
    .command('audit')
    .description('rank the train triplets most likely mislabelled (cross-validated), and list contradictions, duplicate images and train/test leakage')
    .argument('<dir>', 'project folder')
    .option('--folds <k>', 'cross-validation folds over the train triplets (default 5)', numberArg('folds', true, ...AUDIT_RANGES.folds))
    .option('--repeats <n>', 'independent fold splits averaged (default 2)', numberArg('repeats', true, ...AUDIT_RANGES.repeats))
    .option('--epochs <n>', 'epochs per fold model (default 8, more for a small train split: each model gets at least 120 steps)', numberArg('epochs', true, ...AUDIT_RANGES.epochs))
    .option('--seed <n>', 'seed of the folds and models (default 1)', numberArg('seed', true))
    .option('--backbone <id>', 'backbone whose features are used (default: as for train)')
    .option('--limit <n>', 'suspects and entries listed in text output', numberArg('limit', true, 1), 20)
    .action(
      action(async (dir: string, _o: unknown, cmd: Command) => {
        const { json, limit, ...options } = optionsOf<AuditFlags>(cmd);
        const bar = progressBar();
        const interrupt = interruptSignal();
        try {
          const r = await withProject(dir, (p) => p.audit(options, { signal: interrupt.signal, onProgress: bar.onProgress }));
          bar.stop();
          output(json, r, () => describe(r, limit));
        } finally {
          bar.stop();
          interrupt.dispose();
        }
      }),
    );
}
