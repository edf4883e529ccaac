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
  /** The image's file is not where it was last imported from (moved, deleted, or on a drive not connected). Set on Library pages and details. */
  missing?: boolean;
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

/** Which images to remove: one image, or what the Library shows under its filters (all of them when none). */
export type ImageSelection = Pick<ImageQuery, 'search' | 'folder' | 'ids'>;

/**
 * What removing images did (or, with `dryRun`, would do). Images that triplets use are kept, never
 * removed with their triplets: delete or edit those triplets first.
 */
export interface ImageRemovalReport {
  /** Images removed (would be, in a dry run). */
  removed: number;
  /** Their names, the first 20. */
  names: string[];
  /** Images kept because triplets use them, with how many (the first 20; `keptCount` counts all). */
  kept: { id: number; name: string; triplets: number }[];
  keptCount: number;
  dryRun: boolean;
}

/** A removal's history note starts with this (the Library reloads when such a step is undone or redone). */
export const IMAGE_REMOVAL_ACTION = 'remove-images';
/** A rejected suggestion as a history step (undo: the suggestion may be proposed again). */
export const SUGGESTION_REJECT_ACTION = 'reject-suggestion';
/** "Checked" on triplets flagged because an image changed on disk, as a history step (undo: flagged again). */
export const FLAGS_CLEARED_ACTION = 'clear-flags';
