// Open dialogs gate the global shortcuts: each Modal registers itself while mounted, and the
// shortcut checks read that registry (not the page), so nested dialogs count until the last closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerModal } from '../../../src/renderer/lib/modals.js';
import { modalOpen } from '../../../src/renderer/lib/shortcuts.js';

test('modalOpen is true exactly while a registered dialog is open', () => {
  assert.equal(modalOpen(), false);
  const closeImport = registerModal();
  assert.equal(modalOpen(), true);
  const closeHelp = registerModal();
  closeImport();
  assert.equal(modalOpen(), true, 'help is still open over it');
  closeHelp();
  assert.equal(modalOpen(), false);
  closeHelp();
  assert.equal(modalOpen(), false, 'closing twice does not unbalance the count');
});
