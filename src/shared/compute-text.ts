// Which engine trains and what the tfjs backend in use does, in the same words in the app's
// compute details and `triplet-studio backends`.
import type { BackendReport } from './types.js';

/** What trains: the measured choice when there is one (onnxruntime trains while tfjs scores and embeds), else the tfjs backend in use. */
export function trainingEngine(r: BackendReport): string {
  return r.choice?.chosen ?? r.used;
}

/** A tfjs backend's part in words ('' for one not in use): it trains, or it scores and encodes with the trained encoder. */
export function tfjsBackendRole(r: BackendReport, name: string): string {
  if (name !== r.used) return '';
  return trainingEngine(r) === name ? 'used for training' : `used for scoring and encoding (training on ${trainingEngine(r)})`;
}
