// Channel and event names only, without schemas: the preload and the renderer import this
// (not ipc.ts) so that zod is not bundled into them. ipc.ts checks REQUESTS against these names.
export const REQUEST_NAMES = [
  'createProject',
  'openProject',
  'closeProject',
  'recentProjects',
  'projectInfo',
  'importImages',
  'listImages',
  'listFolders',
  'missingImages',
  'getImage',
  'removeImages',
  'importTriplets',
  'exportTriplets',
  'listTriplets',
  'createTriplet',
  'editTriplet',
  'clearTripletFlags',
  'history',
  'undo',
  'redo',
  'backends',
  'backbones',
  'fetchBackbone',
  'defaultTrainOptions',
  'train',
  'cancelJob',
  'runs',
  'evaluate',
  'mistakes',
  'pickFolder',
  'pickFile',
  // Sessions that survive, pickers (s5-session)
  'activeJobs',
  'reopenNotice',
  'listDir',
  'pathInfo',
  'checkExport',
  'deleteRuns',
  'receiveFile',
  'suggest',
  'answerSuggestion',
  'audit',
  'auditReport',
  'similar',
  'judgeTriplet',
  'fixesSince',
  'mapProjection',
  'exportRun',
  // Diagnostics: where unexpected errors are logged, and the renderer's own
  'diagnostics',
  'reportRendererError',
] as const;
export type RequestName = (typeof REQUEST_NAMES)[number];

export const EVENT_NAMES = ['job:progress', 'job:done', 'job:failed', 'project:changed', 'menu:command', 'service:crashed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Electron IPC channel for a request name: namespaced so no other channel can collide. */
export const ipcChannel = (name: RequestName): string => `studio:${name}`;
export const EVENT_CHANNEL = 'studio:event';

/**
 * Media URLs, relative so they resolve against `app://studio/` in Electron and
 * `http://127.0.0.1:PORT/` in browser mode alike.
 */
export const mediaUrl = (kind: 'thumb' | 'image', imageId: number): string => `/media/${kind}/${imageId}`;
