// Domain types shared by the engine (main side), the CLI, the IPC contract and the renderer, one
// file per area under types/; this barrel keeps every `shared/types.js` import working.
// Keep these files free of runtime imports: the renderer and the preload bundle them.
export * from './types/compute.js';
export * from './types/images.js';
export * from './types/triplets.js';
export * from './types/jobs.js';
export * from './types/runs.js';
export * from './types/project.js';
export * from './types/files.js';
export * from './types/suggest.js';
export * from './types/audit.js';
export * from './types/similar.js';
export * from './types/map.js';
export * from './types/export.js';
