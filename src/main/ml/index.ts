// The ML engine's public surface (ml → core interface in .tmp/TEAM.md).
export { initBackend, probeBackends, currentBackend } from './backend.js';
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
} from './backbones.js';
export { decodeRgb, applyPreprocessing, preprocessImage, prepVersion, resizeNearestRgb, pilNearestIndices, type ImagePrep, type ResizeMode } from './preprocess.js';
export { weightsFingerprint } from './fingerprint.js';
export { extractFeatures, type ExtractFeaturesOptions, type ExtractFeaturesResult, type FeatureRow } from './features.js';
export { DEFAULT_TRAIN_OPTIONS, defaultBackbone, defaultTrainOptions } from './defaults.js';
export { trainEncoder, type TrainedEncoder, type TrainEncoderArgs, type TrainProgress } from './train.js';
export { saveEncoder, loadEncoder, embedFeatures, type NamedWeight, type EncoderWeights, type LoadedEncoder } from './encoder.js';
export { distance, l2normalize, tripletLoss, scoreTriplets, tripletAccuracy, type Triplet } from './distances.js';
