// The gate in front of the history shortcuts (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) and the menu's Undo/Redo.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyGate, historyKey, isTextTarget } from '../../../src/renderer/lib/shortcuts.js';

const key = (k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key: k,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});
const el = (tagName: string, extra: object = {}) => ({ tagName, ...extra }) as unknown as EventTarget;

test('historyKey: Ctrl/Cmd+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, nothing else', () => {
  assert.equal(historyKey(key('z', { ctrl: true })), 'undo');
  assert.equal(historyKey(key('Z', { ctrl: true, shift: true })), 'redo');
  assert.equal(historyKey(key('y', { ctrl: true })), 'redo');
  assert.equal(historyKey(key('z', { meta: true })), 'undo');
  assert.equal(historyKey(key('z')), null);
  assert.equal(historyKey(key('z', { ctrl: true, alt: true })), null);
  assert.equal(historyKey(key('Y', { ctrl: true, shift: true })), null);
  assert.equal(historyKey(key('x', { ctrl: true })), null);
});

test('historyGate: text fields keep their own undo, an open dialog blocks, only the views that edit (Library, Triplets, Review, Map, Suggest, Audit) act', () => {
  const body = el('BODY');
  assert.equal(historyGate({ target: body, modalOpen: false, view: 'triplets' }), 'history');
  assert.equal(historyGate({ target: body, modalOpen: false, view: 'review' }), 'history');
  assert.equal(historyGate({ target: body, modalOpen: false, view: 'suggest' }), 'history', 'Ctrl+Z undoes the last accepted suggestion');
  assert.equal(historyGate({ target: body, modalOpen: false, view: 'audit' }), 'history', 'the Audit view edits triplets too');
  assert.equal(historyGate({ target: body, modalOpen: true, view: 'triplets' }), 'dialog', 'never behind an open dialog');
  assert.equal(historyGate({ target: el('BUTTON'), modalOpen: true, view: 'review' }), 'dialog');
  assert.equal(historyGate({ target: body, modalOpen: false, view: 'library' }), 'history', 'the Library removes images, undoably');
  assert.equal(historyGate({ target: body, modalOpen: false, view: 'map' }), 'history', 'so does the Map');
  assert.equal(historyGate({ target: body, modalOpen: false, view: 'projects' }), 'view');
  for (const t of [el('INPUT'), el('TEXTAREA'), el('SELECT'), el('DIV', { isContentEditable: true })]) {
    assert.equal(historyGate({ target: t, modalOpen: false, view: 'triplets' }), 'text');
    assert.equal(historyGate({ target: t, modalOpen: true, view: 'triplets' }), 'text', 'a dialog’s text field keeps its own undo');
  }
  assert.equal(historyGate({ target: null, modalOpen: false, view: 'review' }), 'history');
});

test('isTextTarget: fields that take typed text keep the keys; a clicked checkbox, radio or slider does not', () => {
  assert.equal(isTextTarget(el('INPUT', { type: 'text' })), true);
  assert.equal(isTextTarget(el('INPUT', { type: 'search' })), true);
  assert.equal(isTextTarget(el('INPUT', { type: 'number' })), true);
  assert.equal(isTextTarget(el('INPUT', {})), true, 'no type is a text field');
  assert.equal(isTextTarget(el('TEXTAREA')), true);
  assert.equal(isTextTarget(el('SELECT')), true, 'a menu takes letters to jump to an option');
  assert.equal(isTextTarget(el('INPUT', { type: 'checkbox' })), false);
  assert.equal(isTextTarget(el('INPUT', { type: 'radio' })), false);
  assert.equal(isTextTarget(el('INPUT', { type: 'range' })), false);
  assert.equal(isTextTarget(el('BUTTON')), false);
});
