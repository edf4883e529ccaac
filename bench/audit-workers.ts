// The audit's fold models on one worker against one per core (`npm run bench -- audit-workers`):
// scoreTrainTriplets on train_noisy.txt of both shared sets with the audit's defaults (5 folds × 2
// repeats, auto epochs, one encoder), each arm twice, alternating, in one run. Reports the wall
// time, the ratio, and that the margins are the same to the bit (and the audit's precision@60 /
// recall@150 on the flipped lines, which therefore match too).
import { availableParallelism } from 'node:os';
import type { TrainOptions } from '../src/shared/types.js';
import { isBackboneInstalled } from '../src/main/ml/backbone/registry.js';
import { defaultAuditWorkers, scoreTrainTriplets } from '../src/main/ml/audit/score.js';
import { DEFAULT_TRAIN_OPTIONS } from '../src/main/ml/defaults.js';
import { AUDIT_DEFAULTS, autoEpochs } from '../src/main/project/audit.js';
import { BACKBONE, loadAccuracySet } from './accuracy-data.js';
import { auditMetrics, noisy } from './audit.js';

export async function runAuditWorkersBench(): Promise<void> {
  if (!isBackboneInstalled(BACKBONE)) return console.log(`skipped: ${BACKBONE} is not installed`);
  const many = defaultAuditWorkers();
  console.log(`${availableParallelism()} cores: 1 worker against ${many}`);
  console.log('| set | 1 worker (s) | ' + many + ' workers (s) | ratio | margins equal | precision@60 / recall@150 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const name of ['flowers', 'trash']) {
    const set = await loadAccuracySet(name);
    if (!set) return console.log(`skipped: ${name} is not in the shared data`);
    const { triplets, flipped } = noisy(set);
    const features = new Map(set.names.map((_, r) => [r, set.plain.subarray(r * set.dim, (r + 1) * set.dim)]));
    const list = Array.from({ length: triplets.length / 3 }, (_, t) => [triplets[3 * t], triplets[3 * t + 1], triplets[3 * t + 2]] as [number, number, number]);
    const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, epochs: autoEpochs(list.length, AUDIT_DEFAULTS.folds, DEFAULT_TRAIN_OPTIONS.batchSize), ensemble: 1, validationSplit: 0, derived: 0 };
    const args = { dim: set.dim, features, triplets: list, folds: AUDIT_DEFAULTS.folds, repeats: AUDIT_DEFAULTS.repeats, seed: AUDIT_DEFAULTS.seed, options, groupWeight: AUDIT_DEFAULTS.groupWeight };
    const times: Record<number, number[]> = { 1: [], [many]: [] };
    const margins: Record<number, Float64Array> = {};
    for (const workers of [1, many, 1, many]) {
      const t0 = performance.now();
      margins[workers] = (await scoreTrainTriplets({ ...args, workers })).margins;
      times[workers].push((performance.now() - t0) / 1000);
    }
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    const same = margins[1].every((x, i) => Object.is(x, margins[many][i]));
    const m = auditMetrics(margins[many], flipped);
    console.log(
      `| ${name} | ${times[1].map((t) => t.toFixed(1)).join(', ')} | ${times[many].map((t) => t.toFixed(1)).join(', ')} | ${(mean(times[1]) / mean(times[many])).toFixed(2)}× | ${same ? 'yes' : 'NO'} | ${m.p60.toFixed(3)} / ${m.r150.toFixed(3)} |`,
    );
  }
}
