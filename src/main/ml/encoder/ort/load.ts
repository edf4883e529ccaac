// onnxruntime-node is optional: imported lazily for training, with the reason when it cannot load
// (the training choice then says why and tfjs trains).
export type Ort = typeof import('onnxruntime-node');

let ortPromise: Promise<Ort> | null = null;

export function loadOrtForTraining(): Promise<Ort> {
  ortPromise ??= (async () => {
    const spec: string = 'onnxruntime-node';
    try {
      return (await import(spec)) as Ort;
    } catch (err) {
      const msg = (err as Error).message ?? String(err);
      throw new Error(/Cannot find (package|module)/.test(msg) ? 'onnxruntime-node is not installed' : `onnxruntime-node failed to load: ${msg.split('\n')[0]}`);
    }
  })();
  ortPromise.catch(() => {});
  return ortPromise;
}

/** Intra-op threads of a training session: 1 (measured: 2 were not faster for 192×768·768×512), or TRIPLET_STUDIO_ORT_TRAIN_THREADS. */
export function ortTrainThreads(): number {
  const env = Number(process.env.TRIPLET_STUDIO_ORT_TRAIN_THREADS);
  return env > 0 ? Math.floor(env) : 1;
}
