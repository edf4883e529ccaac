// Which images' files are gone: the whole-library check reads the store a page at a time and checks in
// slices, yielding between them; across page boundaries it must still find exactly the missing files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { missingImageIds, withFileState } from '../../../src/main/images/file-state.js';
import { Project } from '../../../src/main/project/project.js';

const root = mkdtempSync(join(tmpdir(), 'ts-file-state-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('missingImageIds finds exactly the gone files among 12,001 images (three store pages), in id order; other work runs meanwhile', async () => {
  const p = Project.init(join(root, 'project'));
  try {
    const img = p.db.prepare(`INSERT INTO images (name, basename, folder, abs_path, sha256, width, height, bytes, mtime_ms, thumb) VALUES (?, ?, 'f', ?, ?, 1, 1, 1, 0, ?)`);
    const gone: number[] = [];
    p.db.transaction(() => {
      for (let i = 0; i < 12_001; i++) {
        const path = join(root, `${i}.jpg`);
        // Gone: every 997th, and the first and last of each page of 5,000.
        const missing = i % 997 === 0 || i % 5_000 === 0 || i % 5_000 === 4_999 || i === 12_000;
        if (!missing) writeFileSync(path, '');
        const id = Number(img.run(`f/${i}.jpg`, `${i}.jpg`, path, `h${i}`, `thumbs/h${i}.webp`).lastInsertRowid);
        if (missing) gone.push(id);
      }
    })();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const found = await missingImageIds(p.db);
    clearInterval(timer);
    assert.deepEqual(found, gone);
    assert.ok(ticks > 0, 'a timer ran while the files were checked (the check yields)');
    // The Library's page check agrees on the images it is given.
    const page = withFileState(p.db, [gone[1], gone[1] + 1].map((id) => ({ id })));
    assert.deepEqual(page, [{ id: gone[1], missing: true }, { id: gone[1] + 1 }]);
  } finally {
    p.close();
  }
});
