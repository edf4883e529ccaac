import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import {
  isAllowedExternal,
  isAllowedNavigation,
  isTrustedSender,
  resolveAppPath,
} from '../../../src/main/host-policy/urls.js';

const root = resolve('/opt/triplet/dist/renderer');

test('resolveAppPath maps app URLs into the renderer folder', () => {
  assert.equal(resolveAppPath(root, 'app://studio/'), join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://studio/index.html'), join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://studio/assets/app-1a2b.js?v=1#x'), join(root, 'assets', 'app-1a2b.js'));
  assert.equal(resolveAppPath(root, 'app://studio/assets/my%20file.css'), join(root, 'assets', 'my file.css'));
  assert.equal(resolveAppPath(root, 'app://studio/assets/'), join(root, 'assets', 'index.html'));
});

test('resolveAppPath refuses traversal and foreign URLs', () => {
  const bad = [
    'app://studio/../../etc/passwd',
    'app://studio/%2e%2e/%2e%2e/etc/passwd',
    'app://studio/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://studio/assets/%2e%2e%2f%2e%2e%2fsecret',
    'app://studio/..%5c..%5cwindows%5cwin.ini',
    'app://studio/assets%5c..%5c..%5csecret',
    'app://studio/index.html%00.png',
    'app://studio/%E0%A4%A',
    'app://other/index.html',
    'app://user:pw@studio/index.html',
    'file:///etc/passwd',
    'https://studio/index.html',
    'not a url',
  ];
  for (const url of bad) {
    const p = resolveAppPath(root, url);
    // WHATWG URL parsing already folds plain and %2e dot segments into the root; whatever comes out must stay inside.
    if (p !== null) assert.ok(p.startsWith(root + '/'), `${url} → ${p}`);
    if (p !== null) assert.ok(!p.includes('..'), `${url} → ${p}`);
  }
  // Only the plain dot segments resolve (folded into the root by URL parsing); every other one gets no
  // file at all: another scheme, host or credentials would otherwise map to the same files (review).
  const resolved = new Set(['app://studio/../../etc/passwd', 'app://studio/%2e%2e/%2e%2e/etc/passwd']);
  for (const url of bad.filter((u) => !resolved.has(u))) assert.equal(resolveAppPath(root, url), null, url);
  assert.equal(resolveAppPath(root, 'app://studio/%2e%2e/%2e%2e/etc/passwd'), join(root, 'etc', 'passwd'));
});

test('isAllowedNavigation keeps the window on the app origin', () => {
  assert.equal(isAllowedNavigation('app://studio/'), true);
  assert.equal(isAllowedNavigation('app://studio/index.html#/review'), true);
  for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://evil/', 'app://user:pw@studio/', 'app://user@studio/', 'javascript:alert(1)', 'data:text/html,hi', 'about:blank', '']) {
    assert.equal(isAllowedNavigation(url), false, url);
  }
});

test('isTrustedSender accepts only the main frame showing our origin', () => {
  assert.equal(isTrustedSender('app://studio/index.html', true), true);
  assert.equal(isTrustedSender('app://studio/index.html', false), false);
  assert.equal(isTrustedSender('https://example.com/', true), false);
  assert.equal(isTrustedSender('app://studio.evil.com/', true), false);
  assert.equal(isTrustedSender('app://user:pw@studio/index.html', true), false);
  assert.equal(isTrustedSender('about:blank', true), false);
  assert.equal(isTrustedSender(null, true), false);
  assert.equal(isTrustedSender(undefined, true), false);
});

test('isAllowedExternal opens only allow-listed web hosts', () => {
  assert.equal(isAllowedExternal('https://github.com/some/repo'), true);
  assert.equal(isAllowedExternal('https://creativecommons.org/licenses/by/2.0/'), true);
  for (const url of [
    'https://example.com/',
    'https://github.com.evil.com/',
    'https://user@github.com/',
    'https://github.com:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://github.com/share',
    'app://studio/',
  ]) {
    assert.equal(isAllowedExternal(url), false, url);
  }
  assert.equal(isAllowedExternal('https://example.com/', ['example.com']), true);
});
