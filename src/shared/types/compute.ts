// Shared types: distances, compute backends and backbones (what the Train view and `backends` show).
// No runtime imports: the renderer and the preload bundle it.

export type Distance = 'l1' | 'l2' | 'cosine';

export const DISTANCES = ['l1', 'l2', 'cosine'] as const satisfies readonly Distance[];

/** Compute engines, in the order they are preferred at run time. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

/** What can run training: a tfjs backend, or onnxruntime-node's step graph (ml/encoder/ort/; evaluation then on the best tfjs backend). */
export type TrainBackendName = BackendName | 'onnxruntime';

export interface BackendStatus {
  name: BackendName;
  /** npm package that provides it. */
  pkg: string;
  available: boolean;
  /** Why it is not available (e.g. "not installed", "CUDA library not found"). */
  reason?: string;
  kind: 'GPU' | 'CPU' | 'WASM';
}

export interface BackendReport {
  /** The backend actually in use. */
  used: BackendName;
  statuses: BackendStatus[];
  /** Feature-extraction engines, preferred first (the first available one is used). */
  engines?: EngineStatus[];
  /** How the training backend was chosen (measured at first use, remembered per machine): see ml/backend/choose.ts. */
  choice?: ComputeChoice;
  /** The feature engine per installed backbone, chosen by measurement (ml/features/engine-choice.ts). */
  featureChoices?: FeatureEngineChoice[];
}

/**
 * Feature-engine candidates: onnxruntime on an execution provider, or the tfjs layers model on a
 * tfjs backend. Preferred first when two measure the same.
 */
export type FeatureEngineName = 'onnxruntime-cuda' | 'tfjs-tensorflow-gpu' | 'onnxruntime-cpu' | 'tfjs-tensorflow' | 'tfjs-wasm';

export const FEATURE_ENGINE_ORDER = ['onnxruntime-cuda', 'tfjs-tensorflow-gpu', 'onnxruntime-cpu', 'tfjs-tensorflow', 'tfjs-wasm'] as const satisfies readonly FeatureEngineName[];

/** The feature engine for one backbone: measured (ms per 8 images), remembered, or not yet measured. */
export interface FeatureEngineChoice {
  backbone: string;
  /** Absent when not measured yet (it is measured at the first embed) or nothing runs. */
  choice?: ComputeChoice;
  /** Every candidate with why it cannot run here (not installed, no CUDA provider…). */
  candidates: { name: FeatureEngineName; unavailable?: string }[];
  /** Why there is no current choice (not measured yet, installed set changed since). */
  note?: string;
}

/** A provider chosen by measurement: what was timed (median ms of one encoder pass) and why this one. */
export interface ComputeChoice {
  chosen: string;
  why: string;
  measured: { name: string; ms?: number; error?: string }[];
  /** ISO time of the measurement. */
  at: string;
  /** Read from the per-machine file rather than measured now. */
  fromCache?: boolean;
}

export interface EngineStatus {
  name: 'onnxruntime' | 'tfjs-layers';
  available: boolean;
  /** Why it is not available. */
  reason?: string;
  detail?: string;
}

export interface BackboneInfo {
  id: string;
  label: string;
  inputSize: number;
  featureLayer: string;
  dim: number;
  preprocessing: string;
  /** Whether the weights were found in the backbones folder. */
  installed: boolean;
  /** Where the weights are (or would be) looked for. */
  path: string;
}
