// A stand-in StudioService for renderer tests that need sizes the real engine cannot produce
// quickly (a 100,000-image library). It answers the requests the renderer makes with synthetic
// data; images are served from the shared flowers set when present. Counts every listImages call
// so a test can check the renderer pages instead of fetching everything.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../src/shared/errors.js';
import type { HostedService } from '../../../src/main/service/hosted.js';
import type { ImageRecord, MapMethod, MapProjection, ProjectInfo, TrainOptions } from '../../../src/shared/types.js';
import { typedToBase64 } from '../../../src/shared/b64.js';

export interface FakeStats {
  listImages: { offset: number; limit: number }[];
}

export function createFakeService(opts: { images: number; flowersDir?: string; historyDelayMs?: number }): HostedService & { stats: FakeStats } {
  const files: string[] = [];
  if (opts.flowersDir && existsSync(join(opts.flowersDir, 'images'))) {
    for (const cls of readdirSync(join(opts.flowersDir, 'images')).sort())
      for (const f of readdirSync(join(opts.flowersDir, 'images', cls)).sort()) files.push(join(opts.flowersDir, 'images', cls, f));
  }
  const folders = Array.from({ length: 10 }, (_, i) => `batch-${String(i).padStart(2, '0')}`);
  const image = (id: number): ImageRecord => {
    const folder = folders[(id - 1) % folders.length];
    const basename = `img_${String(id).padStart(6, '0')}.jpg`;
    return { id, name: `${folder}/${basename}`, basename, folder, sha256: id.toString(16).padStart(64, '0'), width: 640, height: 480, bytes: 50_000 + id };
  };
  let open: string | null = null;
  const info = (): ProjectInfo => ({
    dir: open!,
    name: open!.split('/').pop()!,
    images: opts.images,
    triplets: { train: 0, test: 0, excluded: 0 },
    runs: 0,
    latestRun: null,
  });
  const needProject = () => {
    if (!open) throw new AppError('NO_PROJECT', 'No project is open.');
  };
  const defaults: TrainOptions = {
    backbone: 'mobilenet_v1_0.75_224', distance: 'l2', margin: 0.2, epochs: 20, batchSize: 64, learningRate: 0.001,
    dropout: 0.2, hidden: 512, embedding: 10, validationSplit: 0.1, seed: 1,
  };
  const stats: FakeStats = { listImages: [] };
  const unsupported = () => {
    throw new AppError('CONFLICT', 'Not available in the fake service.');
  };

  return {
    stats,
    createProject: ({ dir }) => ((open = dir), info()),
    openProject: ({ dir }) => ((open = dir), info()),
    closeProject: () => ((open = null), null),
    recentProjects: () => (open ? [open] : []),
    projectInfo: () => (open ? info() : null),
    importImages: unsupported,
    listImages: ({ search, folder, ids, offset = 0, limit = 100 }) => {
      needProject();
      stats.listImages.push({ offset, limit });
      if (ids) {
        const picked = [...ids].sort((a, b) => a - b).map(image);
        return { total: picked.length, offset, items: picked.slice(offset, offset + limit) };
      }
      // Only the unfiltered listing is synthetic-but-complete; filters match by folder prefix.
      if (search || folder) {
        const all = Array.from({ length: opts.images }, (_, i) => image(i + 1)).filter(
          (im) => (!search || im.name.includes(search)) && (!folder || im.folder === folder),
        );
        return { total: all.length, offset, items: all.slice(offset, offset + limit) };
      }
      const items: ImageRecord[] = [];
      for (let id = offset + 1; id <= Math.min(opts.images, offset + limit); id++) items.push(image(id));
      return { total: opts.images, offset, items };
    },
    listFolders: () => folders,
    missingImages: () => [],
    getImage: ({ id }) => ({ image: image(id), triplets: [] }),
    removeImages: unsupported,
    similar: () => ({ run: null, distance: 'l2', dim: 0, backbone: 'none', neighbours: [], missing: 0 }),
    judgeTriplet: () => null,
    importTriplets: unsupported,
    exportTriplets: unsupported,
    listTriplets: ({ offset = 0 }) => ({ total: 0, offset, items: [] }),
    createTriplet: unsupported,
    editTriplet: unsupported,
    clearTripletFlags: unsupported,
    history: () => [],
    // A slow reply (historyDelayMs) lets a test press keys while one step is on its way.
    undo: () => new Promise((r) => setTimeout(() => r(null), opts.historyDelayMs ?? 0)),
    redo: () => new Promise((r) => setTimeout(() => r(null), opts.historyDelayMs ?? 0)),
    backends: () => ({ used: 'wasm', statuses: [{ name: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm', available: true, kind: 'WASM' }] }),
    backbones: () => [],
    fetchBackbone: unsupported,
    defaultTrainOptions: () => defaults,
    train: unsupported,
    cancelJob: () => false,
    runs: () => [],
    evaluate: unsupported,
    mistakes: () => [],
    activeJobs: () => [],
    reopenNotice: () => null,
    pathInfo: ({ path }) => ({ path, exists: false, kind: null }),
    receiveFile: unsupported,
    suggest: () => ({ runId: null, pool: 0, withoutFeatures: 0, suggestions: [], answered: { accepted: 0, swapped: 0, rejected: 0 }, coverage: { images: 0, inTriplets: 0, groups: 0, decidedPairs: 0, saturated: false, early: false } }),
    answerSuggestion: unsupported,
    audit: unsupported,
    auditReport: () => null,
    fixesSince: () => null,
    mapProjection: ({ method }) => (needProject(), fakeMap(opts.images, folders, method)),
    exportRun: unsupported,
    checkExport: unsupported,
    deleteRuns: unsupported,
    diagnostics: () => ({ logFile: '/nonexistent/triplet-studio.log' }),
    reportRendererError: () => null,
    mediaPath: (_kind, id) => (files.length ? files[(id - 1) % files.length] : null),
  };
}

/** A synthetic map: one Gaussian blob per folder (ids 1..n, seeded), as the real reply is shaped. */
function fakeMap(n: number, folders: string[], method: MapMethod): MapProjection {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const ids = Int32Array.from({ length: n }, (_, i) => i + 1);
  const xy = new Float32Array(n * 2);
  const folder = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const f = i % folders.length;
    const angle = (2 * Math.PI * f) / folders.length;
    folder[i] = f;
    xy[i * 2] = 10 * Math.cos(angle) + gauss() * 1.5;
    xy[i * 2 + 1] = 10 * Math.sin(angle) + gauss() * 1.5;
  }
  return {
    method,
    source: { kind: 'features', runId: null, backbone: 'mobilenet_v1_0.75_224', dim: 768 },
    count: n,
    totalImages: n,
    ids: typedToBase64(ids),
    xy: typedToBase64(xy),
    names: Array.from(ids, (id) => `${folders[(id - 1) % folders.length]}/img_${String(id).padStart(6, '0')}.jpg`),
    folders,
    folder,
    split: new Array<number>(n).fill(0),
    errorRate: typedToBase64(new Float32Array(n).fill(NaN)),
    cached: true,
    seconds: 0,
  };
}
