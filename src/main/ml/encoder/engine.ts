// The training engine seam of fit.ts: what one optimisation step of every ensemble member needs,
// whichever library runs it (tfjs today, onnxruntime-node in ort/engine.ts). Evaluation and
// embedding stay on tfjs: an engine hands tf nets holding its current weights to evaluate().
import type { BackendName, TrainBackendName } from '../../../shared/types.js';
import type { HostFeatures } from './evaluate.js';
import type { EncoderNet, NamedWeight } from './model.js';

export type TrainEngineName = 'tfjs' | 'onnxruntime';

/** The step after this one: its batch size and step seed (TrainEngine.step). */
export interface NextStep {
  m: number;
  stepSeed: number;
}

export interface TrainEngine {
  readonly name: TrainEngineName;
  /**
   * One step of every member on the batch whose feature rows (into feats, plain then mirrored) are
   * `idx`: all anchors, then positives, then negatives (m each). Member k's dropout masks derive
   * from stepSeed + k·7919 (model.ts dropoutMask). Returns the members' mean loss. `next`, when
   * given, is the following step's size and seed: an engine may draw its masks while this one runs.
   */
  step(feats: HostFeatures, idx: Int32Array, m: number, stepSeed: number, next?: NextStep): Promise<number>;
  /** Current weights of every member, member after member (4 arrays each, member names: model.ts memberWeightName). */
  read(): NamedWeight[];
  /** tf nets holding the current weights (for evaluate()). */
  nets(): EncoderNet[];
  dispose(): Promise<void> | void;
}

/** Seed of member k's dropout masks in a step (the same for every engine, so their masks agree). */
export const memberStepSeed = (stepSeed: number, k: number): number => stepSeed + k * 7919;

/** The tfjs backend for a training backend choice: onnxruntime trains, tfjs (best available) evaluates and embeds. */
export const tfjsBackendOf = (b: TrainBackendName | undefined): BackendName | undefined => (b === 'onnxruntime' ? undefined : b);

/** The engine that runs the steps: asked for, else onnxruntime when the options' backend says so, else tfjs. */
export const engineOf = (asked: TrainEngineName | undefined, backend: TrainBackendName | undefined): TrainEngineName => asked ?? (backend === 'onnxruntime' ? 'onnxruntime' : 'tfjs');
