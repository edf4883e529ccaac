// The train options' schema, shared by the IPC contract (ipc.ts validates `train` requests with it)
// and the domain (ml/encoder/train.ts, project/runs.ts parse and fill options with it) without the domain
// depending on the IPC contract.
import { z } from 'zod';

const distance = z.enum(['l1', 'l2', 'cosine']);
const backend = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);

export const trainOptionsSchema = z.object({
  backbone: z.string().min(1).max(100),
  distance,
  margin: z.number().min(0).max(10),
  epochs: z.number().int().min(1).max(10000),
  batchSize: z.number().int().min(1).max(65536),
  learningRate: z.number().positive().max(10),
  dropout: z.number().min(0).max(0.95),
  hidden: z.number().int().min(1).max(65536),
  embedding: z.number().int().min(1).max(4096),
  validationSplit: z.number().min(0).max(0.5),
  weightDecay: z.number().min(0).max(1).optional(),
  ensemble: z.number().int().min(1).max(16).optional(),
  patience: z.number().int().min(0).max(10000).optional(),
  refit: z.boolean().optional(),
  seed: z.number().int().optional(),
  backend: backend.optional(),
  resize: z.enum(['nearest', 'antialias']).optional(),
  exif: z.boolean().optional(),
});
