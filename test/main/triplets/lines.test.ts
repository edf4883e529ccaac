import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readLines, type LineEvent } from '../../../src/main/triplets/lines.js';
import { splitLines } from '../../../src/main/triplets/parse.js';

const root = mkdtempSync(join(tmpdir(), 'ts-lines-'));
after(() => rmSync(root, { recursive: true, force: true }));
const CHUNK = 1 << 20; // readLines reads 1 MiB at a time

async function read(content: Buffer | string): Promise<{ events: LineEvent[]; lines: number; sha256: string }> {
  const path = join(root, `f${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(path, content);
  const events: LineEvent[] = [];
  const r = await readLines(path, (b) => void events.push(...b));
  return { events, lines: r.lines, sha256: r.sha256 };
}

test('same lines as splitLines for LF, CRLF, lone CR, blank lines, BOM and no final newline', async () => {
  for (const text of ['a\nb\n', 'a\nb\n\n', '', 'a\r\nb\rc', '\uFEFFx y z\r\n\r\n# c\r\n', 'a\r\r\nb', 'last line without newline']) {
    const r = await read(text);
    assert.deepEqual(r.events.map((e) => e.text), splitLines(text), JSON.stringify(text));
    assert.equal(r.lines, splitLines(text).length);
    assert.equal(r.sha256, createHash('sha256').update(text).digest('hex'));
  }
});

test('a CRLF and a UTF-8 character split across read chunks; an over-long line is not decoded', async () => {
  const filler = ('y'.repeat(999) + '\n').repeat(1048);
  const straddle = 'z'.repeat(CHUNK - 1 - filler.length) + 'é-end'; // é's two bytes on both sides of the boundary
  const r = await read(Buffer.from(filler + straddle + '\n' + 'x'.repeat(CHUNK - 1) + '\r\nabc\n'));
  assert.equal(r.events.length, 1048 + 3);
  assert.equal(r.events[1048].text, straddle);
  assert.deepEqual(r.events[1049], { line: 1050, text: null, tooLong: CHUNK - 1 });
  assert.deepEqual(r.events[1050], { line: 1051, text: 'abc' });
  const crlf = await read(Buffer.from('x'.repeat(CHUNK - 1) + '\r\nabc\n'));
  assert.deepEqual(crlf.events.map((e) => e.line), [1, 2], 'the LF after a CR at the chunk end is not a second line end');
});
