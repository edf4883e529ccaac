// The app's Export (exportRun): a finished run for use outside the app in one job — every image's
// encoding (.csv or .npy), the ONNX model (image in, encoding out) and the tfjs encoder, any of the
// three. Everything slow (features still missing, the encodings, building the ONNX graph) happens
// before the first write, so a cancel leaves no file behind; each file is then written whole
// (a temporary file renamed) and the tfjs folder is swapped in at once.
import { AppError } from '../../shared/errors.js';
import type { RunExportReport } from '../../shared/types.js';
import type { ProgressFn } from '../jobs/progress.js';
import { checkEncodingsFile, encodeAllImages, finishedRun, writeEncodings, type EncodeContext } from './encode.js';
import { checkTfjsTarget, exportTfjs, onnxModelOf, preprocessingOf, writeOnnx } from './model-export.js';
import { assertFileTarget } from '../util/file-target.js';

export interface RunExportTargets {
  /** One ONNX file: backbone and encoder together. */
  onnx?: string;
  /** A folder for the tfjs layers encoder (an earlier export there is replaced). */
  tfjs?: string;
  /** Every image's encoding: .csv, or .npy with FILE.names.txt beside it. */
  encodings?: string;
}

/** Hands the event loop back between steps, so progress reports go out before a blocking build. */
const breathe = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * What an export refuses before any work: nothing chosen, a target that is a folder (or a file where
 * a folder goes), a folder that is not an earlier encoder export, a run that did not finish.
 */
export function checkExportTargets(db: EncodeContext['db'], runId: number, to: RunExportTargets, peek: (path: string) => boolean = () => true): ReturnType<typeof finishedRun> {
  if (!to.onnx && !to.tfjs && !to.encodings) throw new AppError('BAD_ARGUMENTS', 'Choose what to export: the ONNX model, the tfjs encoder or the encodings.');
  if (to.encodings) checkEncodingsFile(to.encodings);
  if (to.onnx) assertFileTarget(to.onnx); // before the ONNX build, not when writing
  if (to.tfjs) checkTfjsTarget(to.tfjs, peek(to.tfjs));
  return finishedRun(db, runId);
}

export async function exportRun(
  ctx: EncodeContext,
  runId: number,
  to: RunExportTargets,
  opts: { signal?: AbortSignal; onProgress?: ProgressFn } = {},
): Promise<RunExportReport> {
  const run = checkExportTargets(ctx.db, runId, to);
  const steps = [to.encodings && 'Computing the encodings', to.onnx && 'Building the ONNX model', 'Writing the files'].filter((s): s is string => !!s);
  const step = (k: number) => opts.onProgress?.({ phase: 'export', done: k, total: steps.length, message: steps[k] ?? steps.at(-1) });

  step(0);
  const encoded = to.encodings ? await encodeAllImages(ctx, run.id, opts) : null;
  opts.signal?.throwIfAborted();
  const enc = await ctx.encoder(run.id);
  let onnxModel: Awaited<ReturnType<typeof onnxModelOf>> | null = null;
  if (to.onnx) {
    step(encoded ? 1 : 0);
    await breathe();
    onnxModel = await onnxModelOf(run, enc);
  }
  // The last moment to cancel: from here on the files are written. The ONNX build blocks, so a
  // cancel sent meanwhile is still queued: let it in first.
  await breathe();
  opts.signal?.throwIfAborted();
  step(steps.length - 1);
  const report: RunExportReport = {
    run: run.id,
    onnx: onnxModel && to.onnx ? writeOnnx(onnxModel, to.onnx) : null,
    tfjs: to.tfjs ? await exportTfjs(run, enc, to.tfjs) : null,
    encodings: encoded && to.encodings ? writeEncodings(encoded, to.encodings) : null,
    preprocessing: preprocessingOf(run),
  };
  step(steps.length);
  return report;
}
