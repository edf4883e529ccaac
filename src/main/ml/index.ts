// The ML engine's public surface (ml → core interface in .tmp/TEAM.md).
export { initBackend, probeBackends, currentBackend } from './backend/tfjs.js';
export {
  BACKBONES,
  backbonesDir,
  backbonePath,
  backboneSpec,
  listBackbones,
  isBackboneInstalled,
  missingBackboneError,
  registerEngineFactory,
  createFeatureEngine,
  fileSystemHandler,
  type BackboneSpec,
  type FeatureEngine,
  type EngineFactory,
  type EngineContext,
  type Preprocessing,
} from './backbone/registry.js';
export { decodeRgb, applyPreprocessing, preprocessImage, prepVersion, resizeNearestRgb, pilNearestIndices, type ImagePrep, type ResizeMode } from './features/preprocess.js';
export { weightsFingerprint } from './backbone/fingerprint.js';
export { extractFeatures, type ExtractFeaturesOptions, type ExtractFeaturesResult, type FeatureRow } from './features/extract.js';
export { DEFAULT_TRAIN_OPTIONS, defaultBackbone, defaultTrainOptions } from './defaults.js';
export { flatTriplets, packTraining, trainEncoder, type TrainedEncoder, type TrainEncoderArgs, type TrainProgress } from './encoder/train.js';
export { embedFeatures, type NamedWeight, type EncoderWeights } from './encoder/model.js';
export { saveEncoder, loadEncoder, type LoadedEncoder } from './encoder/files.js';
export { distance, l2normalize, tripletLoss, scoreTriplets, tripletAccuracy, type Triplet } from './encoder/distances.js';
export { project2d, PROJECTION_METHODS, type ProjectionMethod } from './projection/index.js';
