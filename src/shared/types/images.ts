// Shared types: images, their import report and the library query.
// No runtime imports: the renderer and the preload bundle it.

export interface ImageRecord {
  id: number;
  /** Path relative to the imported folder, with forward slashes: the image's name. */
  name: string;
  basename: string;
  /** Folder part of `name` ('' for top level). */
  folder: string;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ImageImportReport {
  added: number;
  unchanged: number;
  /** Files whose content changed since import: a new version of their image, its triplets flagged. */
  updated: number;
  /** Byte-identical to an image already in the project: recorded as another path of that image (`of`: its name). */
  duplicates: DuplicateFile[];
  skipped: SkippedFile[];
  /** Names of added images that a triplet file can only carry escaped (space, leading '#', tab, newline). */
  needsEscaping: string[];
  /** Triplets flagged because an image they use changed content. */
  flagged: number;
  seconds: number;
}

export interface DuplicateFile {
  path: string;
  of: string;
}

/** A triplet whose image changed content since it was labelled: the user should check it. */
export interface TripletFlag {
  tripletId: number;
  imageId: number;
  reason: string;
  flaggedAt: string;
}

export interface ImageQuery {
  search?: string;
  folder?: string;
  /** Only these images (a selection on the map). */
  ids?: number[];
  offset?: number;
  limit?: number;
}

export interface ImagePage {
  total: number;
  offset: number;
  items: ImageRecord[];
}
