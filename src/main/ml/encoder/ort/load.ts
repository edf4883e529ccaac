// onnxruntime-node is optional: imported lazily for training, with the reason when it cannot load
// (the training choice then says why and tfjs trains).
import { loadOrt } from '../../features/onnx-engine.js';

export type Ort = typeof import('onnxruntime-node');

/** The feature engine's lazy import, its reason worded for the training choice ("onnxruntime-node is not installed"). */
export function loadOrtForTraining(): Promise<Ort> {
  return loadOrt().catch((err: Error) => {
    throw new Error(`onnxruntime-node ${err.message === 'not installed' ? 'is not installed' : err.message}`);
  });
}

/** Intra-op threads of a training session: 1 (measured: 2 were not faster for 192×768·768×512), or TRIPLET_STUDIO_ORT_TRAIN_THREADS. */
export function ortTrainThreads(): number {
  const env = Number(process.env.TRIPLET_STUDIO_ORT_TRAIN_THREADS);
  return env > 0 ? Math.floor(env) : 1;
}
