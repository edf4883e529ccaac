// Shared types: the open project's summary.
// No runtime imports: the renderer and the preload bundle it.

export interface ProjectInfo {
  dir: string;
  name: string;
  images: number;
  triplets: { train: number; test: number; excluded: number };
  runs: number;
  latestRun: number | null;
  /** Present and true when the project could only be opened for viewing and export. */
  readOnly?: boolean;
  /** Why, when not simply a read-only drive or folder: its drive answered writes with I/O errors. */
  readOnlyBecause?: 'drive-error';
}
