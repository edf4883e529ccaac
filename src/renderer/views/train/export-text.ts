// The Export dialog's words and paths, as pure functions: where a run's exports go by default, the
// encodings' format, what would be replaced, what was written, and the few lines of Python that
// load the exported run elsewhere (the README's example, for this run's resize and distance).
import type { PROJECT_FOLDERS } from '../../../shared/project-layout.js';
import type { PathInfo, RunExportReport } from '../../../shared/types.js';

/** The project's folder for exports (a key of the shared layout, so a rename there fails to compile here). */
const EXPORTS: keyof typeof PROJECT_FOLDERS = 'exports';

export type ExportPart = 'onnx' | 'tfjs' | 'encodings';

export const PART_LABELS: Record<ExportPart, { title: string; what: string; folder: boolean }> = {
  onnx: { title: 'ONNX model', what: 'One file, backbone and encoder together: a photo resized to 224 × 224 in, its encoding out.', folder: false },
  encodings: { title: 'Encodings', what: "Every image's encoding by this run: .csv (name, e0, e1, …) or .npy with the names in a .names.txt beside it.", folder: false },
  tfjs: { title: 'tfjs encoder', what: 'The encoder alone (backbone features in) as TensorFlow.js layers models, with encoder.json.', folder: true },
};

/** Where a run's exports go unless the user picks elsewhere: `<project>/exports/run-N/`. */
export function defaultPaths(projectDir: string, runId: number): Record<ExportPart, string> {
  const sep = projectDir.includes('\\') && !projectDir.includes('/') ? '\\' : '/';
  const base = [projectDir.replace(/[\\/]+$/, ''), EXPORTS, `run-${runId}`].join(sep);
  return { onnx: `${base}${sep}model.onnx`, tfjs: `${base}${sep}encoder`, encodings: `${base}${sep}encodings.csv` };
}

/** The encodings path with its extension set to the chosen format (csv or npy). */
export function withFormat(path: string, format: 'csv' | 'npy'): string {
  return /\.(csv|npy)$/i.test(path) ? path.replace(/\.(csv|npy)$/i, `.${format}`) : `${path}.${format}`;
}

/** The paths an export would replace: files that exist, folders that hold something (an .npy brings its names file). */
export function replaced(infos: PathInfo[]): string[] {
  return infos.filter((i) => i.exists && !(i.kind === 'dir' && i.empty)).map((i) => i.path);
}

/** "model.onnx, encodings.csv and encoder in /…/exports/run-3": what an export wrote, by name. */
export function writtenText(r: RunExportReport): string {
  const paths = [r.onnx?.file, ...(r.encodings?.files ?? []), r.tfjs?.dir].filter((p): p is string => !!p);
  const folderOf = (p: string) => p.replace(/[\\/][^\\/]*$/, '');
  const nameOf = (p: string) => p.slice(folderOf(p).length + 1);
  const folders = new Set(paths.map(folderOf));
  const names = folders.size === 1 ? paths.map(nameOf) : paths;
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'nothing');
  return folders.size === 1 ? `${list} in ${[...folders][0]}` : list;
}

/** Python (onnxruntime, PIL, numpy) that encodes a photo with the exported ONNX model and, when encodings were written, finds its nearest images. */
export function pythonSnippet(r: RunExportReport): string | null {
  if (!r.onnx) return null;
  const size = r.preprocessing.size;
  const nearest = r.preprocessing.kernel === 'nearest';
  const lines = [
    'import numpy as np, onnxruntime as ort; from PIL import Image',
    `sess = ort.InferenceSession(${JSON.stringify(r.onnx.file)})`,
    `img = Image.open("photo.jpg").convert("RGB").resize((${size}, ${size}), Image.${nearest ? 'NEAREST' : 'BILINEAR'})${nearest ? '' : '  # the app resizes with sharp (linear): close, not identical'}`,
    'enc = sess.run(["encoding"], {"image": np.asarray(img, np.float32)[None]})[0]  # [1, dim]',
  ];
  const npy = r.encodings?.files.find((f) => /\.npy$/i.test(f));
  const csv = r.encodings?.files.find((f) => /\.csv$/i.test(f));
  const distance = { l1: 'np.abs(E - enc).sum(axis=1)', l2: 'np.linalg.norm(E - enc, axis=1)', cosine: '1 - E @ enc[0]' }[r.preprocessing.distance] ?? 'np.linalg.norm(E - enc, axis=1)';
  if (npy) {
    const names = r.encodings!.files.find((f) => /\.names\.txt$/i.test(f))!;
    lines.push(`E = np.load(${JSON.stringify(npy)}); names = open(${JSON.stringify(names)}).read().split("\\n")[:-1]`);
  } else if (csv) {
    lines.push(`import csv; rows = list(csv.reader(open(${JSON.stringify(csv)})))[1:]; names = [x[0] for x in rows]; E = np.array([x[1:] for x in rows], np.float32)`);
  }
  if (npy || csv) lines.push(`print([names[i] for i in np.argsort(${distance})[:5]])  # the 5 nearest by the run's ${r.preprocessing.distance} distance`);
  return lines.join('\n');
}
