// Which files an encodings export writes, for the writer (main side) and the Export dialog's
// "would replace" check alike. No runtime imports: the renderer bundles it.

/** The files an encodings output writes: FILE, and for FILE.npy the FILE.names.txt beside it. */
export function matrixFiles(file: string): string[] {
  return /\.npy$/i.test(file) ? [file, `${file.replace(/\.npy$/i, '')}.names.txt`] : [file];
}
