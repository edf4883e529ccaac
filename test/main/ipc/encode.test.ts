// Reply encoding: too large or unencodable replies become typed errors naming the request, not
// `INTERNAL: Reply could not be encoded` (issue 11: 1M invalid lines ended that way).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundedReply, encodeReply } from '../../../src/main/ipc/encode.js';

test('a reply within the limit is sent as it is', () => {
  assert.equal(encodeReply(3, 'runs', { ok: true, value: [1, 2] }), '{"t":"res","id":3,"reply":{"ok":true,"value":[1,2]}}');
});

test('a reply over the limit is TOO_LARGE, naming the request and the sizes', () => {
  const text = encodeReply(4, 'importTriplets', { ok: true, value: 'x'.repeat(3 * 1024 * 1024) }, 1024 * 1024);
  assert.deepEqual(JSON.parse(text), {
    t: 'res',
    id: 4,
    reply: {
      ok: false,
      error: {
        code: 'TOO_LARGE',
        message: 'The reply to "importTriplets" could not be sent: it is 3.0 MB, over the 1.0 MB limit. Narrow the request (fewer items, a smaller file).',
        details: { request: 'importTriplets' },
      },
    },
  });
});

test("a reply past V8's string limit is TOO_LARGE; an unencodable value is INTERNAL, both naming the request", () => {
  // Stands in for a 600 MB reply: JSON.stringify throws the same RangeError.
  const huge = { toJSON: () => { throw new RangeError('Invalid string length'); } };
  const big = JSON.parse(encodeReply(5, 'importTriplets', { ok: true, value: huge }));
  assert.equal(big.reply.error.code, 'TOO_LARGE');
  assert.match(big.reply.error.message, /^The reply to "importTriplets" could not be sent: it is larger than a JavaScript string can hold/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const bad = JSON.parse(encodeReply(6, 'runs', { ok: true, value: cyclic }));
  assert.equal(bad.id, 6);
  assert.equal(bad.reply.error.code, 'INTERNAL');
  assert.match(bad.reply.error.message, /^The reply to "runs" could not be sent: it contains a value that cannot be encoded \(Converting circular structure/);
});

test('Electron replies get the same bound: an oversized reply becomes TOO_LARGE, others pass unchanged', () => {
  const small = { ok: true as const, value: { runs: [1, 2] } };
  assert.equal(boundedReply('runs', small), small);
  const failed = { ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'No run 3.' } };
  assert.equal(boundedReply('runs', failed), failed);
  const big = boundedReply('listTriplets', { ok: true, value: 'x'.repeat(2 * 1024 * 1024) }, 1024 * 1024);
  assert.equal(big.ok, false);
  assert.equal(!big.ok && big.error.code, 'TOO_LARGE');
  assert.match(!big.ok ? big.error.message : '', /^The reply to "listTriplets" could not be sent: it is 2\.0 MB, over the 1\.0 MB limit/);
});

test('an unencodable reply is a bug: its error goes to the diagnostics log and the reply names the file; a too-large one is not logged', () => {
  const entries: { what: string; err: unknown }[] = [];
  const log = { file: '/data/logs/triplet-studio.log', error: (what: string, err: unknown) => entries.push({ what, err }) };
  const bad = JSON.parse(encodeReply(7, 'runs', { ok: true, value: { size: 3n } }, undefined, log));
  assert.equal(bad.reply.error.code, 'INTERNAL');
  assert.deepEqual(bad.reply.error.details, { request: 'runs', log: log.file });
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.what, 'the reply to runs could not be encoded');
  assert.match(String(entries[0]!.err), /BigInt/);
  const viaElectron = boundedReply('runs', { ok: true, value: 2n }, undefined, log);
  assert.deepEqual(!viaElectron.ok && viaElectron.error.details, { request: 'runs', log: log.file });
  assert.equal(entries.length, 2);
  const big = JSON.parse(encodeReply(8, 'listTriplets', { ok: true, value: 'x'.repeat(2048) }, 1024, log));
  assert.equal(big.reply.error.code, 'TOO_LARGE');
  assert.deepEqual(big.reply.error.details, { request: 'listTriplets' });
  assert.equal(entries.length, 2);
});
