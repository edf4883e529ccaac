import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIssue, parseTriplets, splitLines } from '../../../src/main/triplets/parse.js';

test('BOM, CRLF, comments, blank lines and tabs are tolerated; line numbers are 1-based file lines', () => {
  const text = '\uFEFFa.jpg b.jpg c.jpg\r\n\r\n# a comment\r\n  \t \r\nd.jpg\te.jpg   f.jpg\r\n   # indented comment\r\ng.jpg h.jpg i.jpg';
  const r = parseTriplets(text, 'f.txt');
  assert.deepEqual(r.issues, []);
  assert.equal(r.lines, 7);
  assert.deepEqual(
    r.triplets.map((t) => [t.line, t.anchor, t.positive, t.negative]),
    [
      [1, 'a.jpg', 'b.jpg', 'c.jpg'],
      [5, 'd.jpg', 'e.jpg', 'f.jpg'],
      [7, 'g.jpg', 'h.jpg', 'i.jpg'],
    ],
  );
});

test('malformed lines and an image used twice are reported with file and line', () => {
  const text = ['a b c', 'a b', 'a b c d', '', 'x y x', 'p q r', 'k k m'].join('\n') + '\n';
  const r = parseTriplets(text, 'bad.txt');
  assert.deepEqual(
    r.issues.map((i) => [i.line, i.message]),
    [
      [2, 'expected 3 names (anchor positive negative), found 2'],
      [3, 'expected 3 names (anchor positive negative), found 4'],
      [5, 'the same image is used twice in one triplet'],
      [7, 'the same image is used twice in one triplet'],
    ],
  );
  assert.deepEqual(r.triplets.map((t) => t.line), [1, 6]);
  assert.equal(formatIssue(r.issues[0]), 'bad.txt:2: expected 3 names (anchor positive negative), found 2');
});

test('a final newline does not count as a line; an empty file has none', () => {
  assert.deepEqual(splitLines('a\nb\n'), ['a', 'b']);
  assert.deepEqual(splitLines('a\nb\n\n'), ['a', 'b', '']);
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('\uFEFF'), []);
  assert.deepEqual(splitLines('a\r\nb\rc'), ['a', 'b', 'c']);
  assert.equal(parseTriplets('', 'e.txt').triplets.length, 0);
});
