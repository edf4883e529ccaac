// One edit history for the app and the command line, but the app's Ctrl+Z does not undo a change
// made from the command line unseen: such a step (marked `made_by = 'cli'`, also for an import the
// worker writes) is refused with the step named, and undone once the user says yes to that step.
// The CLI's own `undo` undoes whatever is newest, as it says. (Found by the multi-process review:
// Ctrl+Z in the app undid "move on triplet #32", made by the CLI, while its status line offered the
// user's own swap.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { HistoryEntry } from '../../../src/shared/types.js';
import { Project } from '../../../src/main/project/project.js';
import { StudioService } from '../../../src/main/project/service.js';
import { cliRunner } from '../../helpers/cli.js';
import { addFilelessImages } from '../../helpers/fileless-images.js';

const root = mkdtempSync(join(tmpdir(), 'ts-undo-elsewhere-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The error `fn` throws (the step it asks about in `details`); fails with `otherwise` when it goes through. */
function refusal<D>(fn: () => unknown, otherwise: string): { code: string; details: D } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; details: D };
  }
  assert.fail(otherwise);
}

test("the app's undo asks before undoing a step made from the command line; the CLI's undo does not", async () => {
  const dir = join(root, 'project');
  const p = Project.init(dir);
  addFilelessImages(p.db, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']);
  p.close();
  const cli = cliRunner(join(root, 'cli-data'));
  const file = join(root, 'train.txt');
  writeFileSync(file, 'a.jpg b.jpg c.jpg\na.jpg b.jpg d.jpg\n');
  assert.equal((await cli('import-triplets', dir, file, '--split', 'train')).code, 0); // through the import worker

  const service = new StudioService({ dataDir: join(root, 'app-data'), emit: () => undefined });
  try {
    service.openProject({ dir });
    const positive = () => service.listTriplets({ split: 'train' }).items.find((t) => t.id === 1)!.positive;
    // The app's own edit is undone at once.
    service.editTriplet({ id: 1, edit: { kind: 'swap' } });
    assert.equal(service.undo({})!.action, 'swap');
    assert.equal(positive(), 'b.jpg');

    // The import, made from the command line: refused with the step named, nothing undone.
    const asked = refusal<{ madeElsewhere: HistoryEntry }>(() => service.undo({}), 'undone without asking');
    assert.equal(asked.code, 'CONFLICT');
    assert.deepEqual([asked.details.madeElsewhere.action, asked.details.madeElsewhere.count, asked.details.madeElsewhere.madeBy], ['import', 2, 'cli']);
    assert.equal(service.listTriplets({ split: 'train' }).total, 2, 'nothing undone');

    // A swap from the command line after it: asking about the import does not undo the swap.
    assert.equal((await cli('edit', dir, '1', '--swap')).code, 0);
    assert.throws(
      () => service.undo({ confirmed: asked.details.madeElsewhere.id }),
      (err: { code: string; details: { madeElsewhere: HistoryEntry } }) => {
        const s = err.details.madeElsewhere;
        return err.code === 'CONFLICT' && s.action === 'swap' && s.tripletId === 1 && s.madeBy === 'cli';
      },
    );
    assert.equal(positive(), 'c.jpg', 'the swap stays');
    const swap = service.history({ limit: 1 })[0];
    assert.equal(swap.madeBy, 'cli');
    // Said yes to that swap: undone.
    assert.equal(service.undo({ confirmed: swap.id })!.action, 'swap');
    assert.equal(positive(), 'b.jpg');

    // The app's edits are not marked; the CLI's undo takes the newest step whoever made it.
    service.editTriplet({ id: 2, edit: { kind: 'exclude' } });
    assert.equal(service.history({ limit: 1 })[0].madeBy, undefined);
    const undone = await cli('undo', dir, '--json');
    assert.equal(JSON.parse(undone.stdout).action, 'exclude');
  } finally {
    await service.dispose();
  }
});

test("the app's redo asks before redoing a step the command line undid; its own undos redo at once", async () => {
  const dir = join(root, 'project-redo');
  const p = Project.init(dir);
  addFilelessImages(p.db, ['a.jpg', 'b.jpg', 'c.jpg']);
  p.createTriplet({ split: 'train', anchorId: 1, positiveId: 2, negativeId: 3 });
  p.close();
  const cli = cliRunner(join(root, 'cli-data'));
  const service = new StudioService({ dataDir: join(root, 'app-data-redo'), emit: () => undefined });
  try {
    service.openProject({ dir });
    const positive = () => service.listTriplets({ split: 'train' }).items[0].positive;
    // Undone in the app, redone in the app: no question.
    service.editTriplet({ id: 1, edit: { kind: 'swap' } });
    service.undo({});
    assert.equal(service.redo({})!.action, 'swap');
    assert.equal(positive(), 'c.jpg');

    // The same swap undone from the command line: the app's redo names it and redoes nothing.
    assert.equal((await cli('undo', dir)).code, 0);
    assert.equal(positive(), 'b.jpg');
    assert.equal(service.history({ limit: 1 })[0].undoneBy, 'cli');
    const asked = refusal<{ undoneElsewhere: HistoryEntry }>(() => service.redo({}), 'redone without asking');
    assert.equal(asked.code, 'CONFLICT');
    assert.deepEqual([asked.details.undoneElsewhere.action, asked.details.undoneElsewhere.tripletId], ['swap', 1]);
    assert.equal(positive(), 'b.jpg', 'nothing redone');
    // Said yes to that step: redone, and no longer marked.
    assert.equal(service.redo({ confirmed: asked.details.undoneElsewhere.id })!.action, 'swap');
    assert.equal(positive(), 'c.jpg');
    assert.equal(service.history({ limit: 1 })[0].undoneBy, undefined);

    // The CLI's own redo takes whatever was undone last, as it says.
    service.undo({});
    assert.equal(JSON.parse((await cli('redo', dir, '--json')).stdout).action, 'swap');
    assert.equal(positive(), 'c.jpg');
  } finally {
    await service.dispose();
  }
});
