// Skips onnxruntime tests with the reason when onnxruntime-node cannot load (it is an optional dependency).
import { loadOrt } from '../../src/main/ml/features/onnx-engine.js';

export async function skipWithoutOrt(): Promise<string | false> {
  try {
    await loadOrt();
    return false;
  } catch (err) {
    return `onnxruntime-node: ${(err as Error).message}`;
  }
}
