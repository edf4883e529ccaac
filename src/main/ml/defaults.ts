// Default training options, chosen by cross-validation on the train splits (see the table below).
import type { TrainOptions } from '../../shared/types.js';
import { TABLE_DEFAULTS } from '../../shared/train-options.js';
import { BACKBONES, isBackboneInstalled } from './backbone/registry.js';

/*
 * Chosen by cross-validation on the train splits only, on both shared sets (flowers: 5 classes,
 * 200 train images; trash = TrashNet: 6 classes, 240 train images; 1,200 train triplets each).
 * Folds: the train images split into 5 image-disjoint folds; each fold trains on the train triplets
 * with none of its images (~600) and is scored on 400 class-consistent triplets drawn from its own
 * images (a triplet with all three images in a fold: only ~10 per fold). Mean over the 5 folds,
 * MobileNet v1 0.75 features, wasm, l2, margin 0.5, batch 64, Adam 1e-3, dropout 0.3, Dense 512 → 10,
 * no validation (last epoch kept), seeds 1–2 (1–4 where two values are given: seeds 1–2 / 3–4).
 * test.txt was scored once, after choosing (npm run bench -- accuracy).
 *
 *   recipe                                   flowers CV       trash CV
 *   raw features (l2, normalised)            0.753            0.696
 *   linear discriminant k 32, γ 0.1          0.863            0.821      (γ 1: 0.863 / 0.811; k 64 γ 0.3: 0.865 / 0.816)
 *   one encoder,  8 epochs                   0.890 / 0.891    0.832 / 0.824
 *   one encoder, 16 epochs                   0.898            0.846
 *   one encoder, 24 epochs                   0.898 / 0.900    0.859 / 0.841
 *   one encoder, 36 epochs                   —     / 0.901    —     / 0.845
 *   ensemble 2,  8 epochs                    0.892 / 0.895    0.835 / 0.834
 *   ensemble 2, 24 epochs                    0.907 / 0.906    0.865 / 0.845   ← default
 *   ensemble 2, 36 epochs                    —     / 0.907    —     / 0.846
 *   + test-time flip averaging (ens. 2, 24)  0.900 / 0.909    0.860 / 0.847
 *   + flip augmentation (ens. 2, 24)         0.895            0.860      (one encoder: 0.892 / 0.850)
 *   + weight decay 1e-3 (ens. 2, 24)         0.897            0.865      (one encoder: 0.891 / 0.857)
 *   dropout 0.5 (ens. 2, 24)                 0.904            0.845      (one encoder: 0.904 / 0.845)
 *   margin 1.0 (ens. 2, 24)                  0.912            0.863      (one encoder: 0.914 / 0.860)
 *   embedding 32 (ens. 2, 24)                0.907            0.864      (one encoder: 0.909 / 0.861)
 * Margin 1.0 and embedding 32 help flowers (+0.01 for one encoder) but not trash: not adopted.
 *
 * What mattered: training on every triplet long enough (8 → 24 epochs: +0.01 flowers, +0.02 trash;
 * no loss up to 36) and averaging two encoders (+0.005–0.008). Mirrored images (as augmentation or
 * at test time) and weight decay changed nothing beyond seed noise (fold sd ≈ 0.03, seed-to-seed
 * ≈ 0.01), so they are not used (flip would also need a second feature pass per image).
 * Validation: the old random 10% of triplets shared its images with training (1.0 by epoch 5, best
 * epoch ≈ 7–10: an under-trained model). Held-out images are honest but costly: holding out 30% of
 * the images leaves ~30 validation and ~420 training triplets of 1,200 (10%: ~1 and ~940; 50%: ~140
 * and ~150), so by default nothing is held out and the last of 24 epochs is kept; --validation-split
 * turns image-disjoint validation, best epoch and early stopping (patience 10) on.
 * Time: 2 × 24 epochs × 1,200 triplets ≈ 40–50 s on 2 cores (48–54 s per fit with other jobs running).
 *
 * test.txt, looked at once after choosing (npm run bench -- accuracy; mean ± sd over seeds 1–5, seed 1):
 *   recipe                                   flowers                  trash
 *   defaults (ensemble 2, 24 epochs)         0.934 ± 0.007  (0.927)   0.838 ± 0.012  (0.828)
 *   one encoder, 24 epochs                   0.933 ± 0.003  (0.932)   0.829 ± 0.005  (0.820)
 *   defaults, 8 epochs (≈ the old best epoch) 0.930 ± 0.010 (0.932)   0.824 ± 0.007  (0.820)
 *   validation 0.3 of images, patience 8     0.897 ± 0.028  (0.898)   0.795 ± 0.016  (0.785)
 *   linear reference (k 32, γ 0.1)           0.895                    0.783
 *   raw features                             0.745                    0.680
 * The trash test split is harder than its CV folds (0.838 vs 0.855): the ≥ 0.86 goal is not met there.
 * Feature post-processing (sqrt, L2, standardize), GeM/max pooling, centre crop and joining raw or
 * linear features were tried later on the same CV (bench/accuracy-transform.ts): none beat these defaults.
 *
 * Implied triplets (derived 1, the default since; encoder/miners/, bench/accuracy-mining.ts). The
 * train triplets chain their images into groups (positives join, negatives keep apart, evidence
 * weighed so a swapped triplet does not merge two groups): on both shared sets the groups are the
 * classes exactly (train_noisy.txt, 10% swapped: 5 / 7 groups, 1–2 misplaced images). Each epoch then
 * adds as many triplets drawn fresh from the groups as there are train triplets (2× the time per epoch).
 * Same CV (5 folds; fold f trained with seed 10·s + f; s = 1, and s = 2 on trash: no time for more):
 *   recipe                                   flowers CV   trash CV
 *   old defaults (derived 0)                 0.895        0.847 / 0.846
 *   derived 1                                0.911        0.861 / 0.859   ← default
 *   linear reference on 5,000 implied triplets   —        0.823      (on the train triplets: 0.821)
 * test.txt through the CLI (triplet-studio train DIR --seed S --json), once, after choosing:
 *   derived 1, seed 1                        0.947                    0.862
 *   derived 1, seeds 1–5                     0.937 ± 0.010            0.853 ± 0.009
 *   (old defaults, same split, seeds 1–5      0.934 ± 0.007  (0.927)   0.838 ± 0.012  (0.828), from above)
 * Seed 1 now reaches ≥ 0.86 on both sets; the mean over seeds 1–5 on TrashNet (0.853) is still below 0.86.
 * Time: a default fit on TrashNet's 1,200 triplets, 2 lightly loaded cores: 49 / 62 s against 43 / 29 s
 * for derived 0 (≈ 1.1–2.2×: twice the steps per epoch; grouping the images takes milliseconds).
 */
// The values live in the one table of train options (shared/train-options.ts), which the schema,
// the Train view's form and the CLI flags are generated from; the measurements above chose them.
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = TABLE_DEFAULTS;

/**
 * The measured default backbone when its weights are installed, else the first installed one, so a
 * user who has only ResNet50 (say) can train without naming it. With none installed, the default
 * stays and its MISSING_BACKBONE error says how to get the weights.
 */
export function defaultBackbone(): string {
  if (isBackboneInstalled(DEFAULT_TRAIN_OPTIONS.backbone)) return DEFAULT_TRAIN_OPTIONS.backbone;
  return Object.keys(BACKBONES).find(isBackboneInstalled) ?? DEFAULT_TRAIN_OPTIONS.backbone;
}

/** DEFAULT_TRAIN_OPTIONS with the backbone resolved against what is installed now. */
export function defaultTrainOptions(): TrainOptions {
  return { ...DEFAULT_TRAIN_OPTIONS, backbone: defaultBackbone() };
}
