import assert from 'node:assert/strict';
import { test } from 'node:test';
import { senderAllowed } from '../../../src/main/ipc/dispatch.js';
import { senderInfo, type WindowLike } from '../../../src/main/electron/sender.js';

const mainFrame = { url: 'app://studio/index.html', parent: null, processId: 7, routingId: 1 };
const win: WindowLike = { isDestroyed: () => false, webContents: { id: 3, mainFrame } };

test('senderInfo: only our window’s main frame on app://studio is trusted', () => {
  // A distinct but equal wrapper object for the main frame still counts as the main frame.
  assert.equal(senderAllowed(senderInfo({ senderFrame: { ...mainFrame }, sender: { id: 3 } }, win)), true);
  const cases = [
    { senderFrame: { ...mainFrame, url: 'https://example.com/' }, sender: { id: 3 } }, // navigated away
    { senderFrame: { url: 'app://studio/x.html', parent: mainFrame, processId: 7, routingId: 2 }, sender: { id: 3 } }, // iframe
    { senderFrame: { ...mainFrame, routingId: 9 }, sender: { id: 3 } }, // another frame
    { senderFrame: { ...mainFrame }, sender: { id: 4 } }, // another webContents
    { senderFrame: null, sender: { id: 3 } }, // frame gone
  ];
  for (const c of cases) assert.equal(senderAllowed(senderInfo(c, win)), false, JSON.stringify(c));
  const closed: WindowLike = { ...win, isDestroyed: () => true };
  assert.equal(senderAllowed(senderInfo({ senderFrame: { ...mainFrame }, sender: { id: 3 } }, closed)), false);
});
