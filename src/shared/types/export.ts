// Shared types: a finished run exported for use outside the app (issue 8.5) — the ONNX model (image
// in, encoding out), the tfjs encoder and every image's encoding — in the app (exportRun) and the CLI.
// No runtime imports: the renderer and the preload bundle it.

/** How to feed the exported model, in words (also written into the tfjs export's encoder.json). */
export interface ExportPreprocessing {
  backbone: string;
  /** Input side in pixels (224). */
  size: number;
  resize: string;
  exif: string;
  values: string;
  /** Distance the run compares encodings with (l1, l2, cosine). */
  distance: string;
  /** The run's resize kernel: PIL's NEAREST (as Keras load_img) or a bilinear (antialias) resize. */
  kernel: 'nearest' | 'bilinear';
}

export interface EncodeReport {
  run: number;
  /** Files written (an .npy file comes with its .names.txt). */
  files: string[];
  images: number;
  dim: number;
  distance: string;
  /** Images without features (missing or undecodable file), left out of the file. */
  leftOut: string[];
}

export interface ModelExportReport {
  run: number;
  onnx: { file: string; dim: number; bytes: number } | null;
  tfjs: { dir: string; members: number } | null;
  preprocessing: ExportPreprocessing;
}

/** What the app's Export dialog (exportRun) wrote: the model files and, when asked, the encodings. */
export interface RunExportReport extends ModelExportReport {
  encodings: EncodeReport | null;
}
