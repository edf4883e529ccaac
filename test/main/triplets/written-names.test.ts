// Names on the command line resolve as a triplet file's fields: escapes decoded first (the form
// `triplets` and `export-triplets` print), then the name exactly as written.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { NameResolver } from '../../../src/main/images/names.js';
import { Project } from '../../../src/main/project/project.js';
import { encodeName } from '../../../src/main/triplets/escape.js';
import { resolveAllWritten, resolveWritten } from '../../../src/main/triplets/written-names.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-written-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('escaped names as printed resolve; a name with a literal escape still does; the error names what was written', () => {
  const project = Project.init(join(root, 'p'));
  const names = ['with space.jpg', '#hash.jpg', 'nbsp\u00a0name.jpg', 'pct%20x.jpg', 'plain.jpg'];
  addFilelessImages(project.db, names);
  const resolver = new NameResolver(project.db);
  const idOf = (n: string) => project.db.prepare('SELECT id FROM images WHERE name = ?').pluck().get(n) as number;
  for (const n of names) {
    assert.deepEqual(resolveWritten(resolver, encodeName(n)), { id: idOf(n), name: n }, `printed form of ${n}: ${encodeName(n)}`);
    assert.deepEqual(resolveWritten(resolver, n), { id: idOf(n), name: n }, `raw ${n}`);
  }
  // A file literally named with an escape, written as it is: read as written.
  assert.deepEqual(resolveWritten(resolver, 'pct%20x.jpg'), { id: idOf('pct%20x.jpg'), name: 'pct%20x.jpg' });
  assert.deepEqual(resolveWritten(resolver, 'no%20such.jpg'), { error: 'unknown image "no such.jpg" (written "no%20such.jpg")' });
  assert.deepEqual(resolveWritten(resolver, 'bad%FF.jpg'), { error: 'invalid escape in "bad%FF.jpg": %FF is not UTF-8 text' });
  assert.deepEqual(
    resolveAllWritten(resolver, ['with%20space.jpg', '%23hash.jpg', 'plain.jpg']).map((r) => r.id),
    [idOf('with space.jpg'), idOf('#hash.jpg'), idOf('plain.jpg')],
  );
  assert.throws(() => resolveAllWritten(resolver, ['x.jpg', 'plain.jpg'], ' (nothing was removed)'), { code: 'NOT_FOUND', message: 'unknown image "x.jpg" (nothing was removed)' });
  // Both readings are images: refused with how to write each, never bound to either silently.
  addFilelessImages(project.db, ['pct x.jpg']);
  const both = resolveWritten(new NameResolver(project.db), 'pct%20x.jpg');
  assert.deepEqual(both, { error: 'ambiguous name "pct%20x.jpg": read with its escapes it is "pct x.jpg", as written it is another image; give "pct x.jpg" as it is (quoted) for the first or "pct%2520x.jpg" for the second' });
  assert.equal((resolveWritten(new NameResolver(project.db), 'pct x.jpg') as { id: number }).id, idOf('pct x.jpg'));
  assert.equal((resolveWritten(new NameResolver(project.db), 'pct%2520x.jpg') as { id: number }).id, idOf('pct%20x.jpg'));
  project.close();
});
