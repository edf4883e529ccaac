// What the window says when the desktop app's service process died: restarted (and the project
// reopened, or not), or given up on after crashing again and again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceCrashNotice } from '../../../src/renderer/lib/service-crash.js';

test('a restarted service names the reason and the reopened project; one given up on says to restart the app', () => {
  const back = serviceCrashNotice({ reason: 'exit code 7', restarted: true, reopened: '/p/flowers' });
  assert.equal(back.title, 'Triplet Studio recovered from a crash');
  assert.match(back.text, /\(exit code 7\) and was restarted\. \/p\/flowers is open again\. Jobs it was running stopped/);
  assert.doesNotMatch(serviceCrashNotice({ reason: 'signal SIGKILL', restarted: true, reopened: null }).text, /open again|opened again/);
  // A project was open and could not be reopened: said, with the way back.
  assert.match(serviceCrashNotice({ reason: 'signal SIGKILL', restarted: true, reopened: null }, true).text, /The project could not be opened again: open it from Projects\./);
  const gone = serviceCrashNotice({ reason: 'exit code 7', restarted: false, reopened: null });
  assert.match(gone.text, /was not restarted: quit and start Triplet Studio again/);
});
