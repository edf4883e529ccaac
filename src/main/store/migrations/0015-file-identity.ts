// 0015: which file a path held when it was last read. Size and mtime alone let a re-import skip a file
// whose bytes changed under them: two photos of one size and one mtime swapped by name (renamed, or
// copied with their times kept) looked unchanged, so each label stayed with the wrong picture. The
// file's number on its drive (inode; Windows' file index) and its change time (ctime: any rename,
// write or copy over it moves it) are now recorded too; a file whose size and mtime match but whose
// inode or ctime do not is hashed again (not decoded: images/decode.ts) before it is trusted.
// Rows from before this migration have neither, so the next re-import hashes each file once.
import type { Migration } from './index.js';

export const migration0015: Migration = {
  version: 15,
  name: 'file-identity',
  sql: `
ALTER TABLE image_paths ADD COLUMN ino REAL;       -- the file's number on its drive when last read (REAL: Windows' 64-bit ids round-trip as the double Node gives)
ALTER TABLE image_paths ADD COLUMN ctime_ms REAL;  -- its change time then
`,
};
