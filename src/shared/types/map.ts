// Shared types: the embedding map (a 2-D projection of every image, with colouring data).
// No runtime imports: the renderer and the preload bundle it.

export type MapMethod = 'pca' | 'umap';

/** What the map projects: raw backbone features, or a finished run's encoder outputs. */
export type MapSourceKind = 'features' | 'run';

/** How an image is used by active triplets: codes in MapProjection.split. */
export const MAP_SPLIT_USES = ['none', 'train', 'test', 'both'] as const;
export type MapSplitUse = (typeof MAP_SPLIT_USES)[number];

export interface MapProjection {
  method: MapMethod;
  source: { kind: MapSourceKind; runId: number | null; backbone: string; dim: number };
  /** Points on the map (images with features). */
  count: number;
  /** Images in the project; those without features (not computed, undecodable) are not on the map. */
  totalImages: number;
  /** base64 of little-endian Int32 image ids, `count` of them. */
  ids: string;
  /** base64 of little-endian Float32 x, y pairs (`count` × 2). */
  xy: string;
  names: string[];
  /** Distinct first path segments (folder legend); `folder[i]` indexes it. */
  folders: string[];
  folder: number[];
  /** Index into MAP_SPLIT_USES per point. */
  split: number[];
  /** base64 of Float32 per point: fraction of its scored active test triplets the run (shown, else the latest) gets wrong; NaN when none. */
  errorRate: string;
  /** Served from the project's map cache. */
  cached: boolean;
  /** Seconds the projection took when computed. */
  seconds: number;
  /** Images whose features this request tried to compute and could not (file missing or unreadable); absent when it computed none. */
  unreadable?: number;
}
