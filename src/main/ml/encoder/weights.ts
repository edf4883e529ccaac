// The encoder's weights as plain arrays, named as the saved tfjs model names them. No tfjs here:
// the ORT member threads (ort/member-worker.ts) import this and stay small (a thread that loads tfjs
// carries ~45 MB more heap, which every garbage collection of that thread marks).

export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Anything holding the four encoder weights, in order: kernel1, bias1, kernel2, bias2. */
export interface EncoderWeights {
  weights: NamedWeight[];
}

export const WEIGHT_NAMES = ['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias'] as const;

/** Name of a weight of ensemble member k: member 0 keeps the plain names (a 1-member ensemble is a plain encoder). */
export const memberWeightName = (k: number, name: string): string => (k === 0 ? name : `member_${k + 1}/${name}`);
