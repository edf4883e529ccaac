// How a project folder is laid out: the database file and the folders the app fills. One place, so
// the image scan can leave a project's own files alone, no export writes over them, and the
// renderer's Export dialog proposes the same exports folder (shared: no Node imports).
/** The store: project.sqlite (SQLite adds -wal, -shm and -journal files beside it). */
export const DB_FILE = 'project.sqlite';

/** project.sqlite itself or one of the files SQLite keeps beside it. */
export const isDbFile = (name: string): boolean => name === DB_FILE || ['-wal', '-shm', '-journal'].some((x) => name === DB_FILE + x);

/** Folders the app writes in a project, with what they hold (in words for reports). */
export const PROJECT_FOLDERS = {
  thumbs: 'thumbnails',
  models: 'run models',
  scratch: 'training scratch files',
  received: 'files received by the app',
  exports: 'exported runs',
} as const;
