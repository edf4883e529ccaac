// Fuzzing the browser-mode server: a real server (in a child process, so a crash is a dead
// process) on 127.0.0.1 gets thousands of random and mutated requests — paths, methods, headers,
// raw malformed HTTP over a TCP socket, upgrade requests, and WebSocket frames (malformed JSON,
// huge, binary, wrong shapes, raw broken frames, sends racing a close). Every answer must be a
// well-formed 1xx–4xx (a 5xx means a handler threw), and at the end the process is alive and a
// good request still works. Seeded (FUZZ_SEED=n to replay); bounded in count and time.
// The known bad inputs come first, each with its exact outcome.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { seededRandom } from '../../../src/main/ml/encoder/rng.js';
import { clientProtocols } from '../../../src/main/server/auth.js';
import { REQUEST_NAMES } from '../../../src/shared/channels.js';
import { repoRoot } from '../../helpers/shared.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const TIME_BUDGET_MS = 40_000;

type Info = { port: number; token: string; mediaToken: string; origin: string };
let child: ChildProcess;
let info: Info;
let childErr = '';

before(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'main', 'server', 'fixtures', 'fuzz-server.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (b: Buffer) => (childErr += b.toString()).length > 100_000 && (childErr = childErr.slice(-50_000)));
  info = await new Promise<Info>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Info);
    });
    child.once('exit', (code) => reject(new Error(`fuzz server exited with ${code}: ${childErr}`)));
  });
});

after(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

const host = (): string => `127.0.0.1:${info.port}`;
const cookie = (): string => `ts_media_${info.port}=${info.mediaToken}`;

/**
 * Writes raw bytes on a fresh connection; resolves with the status line's code (null: no answer)
 * and the text. `halfClose` sends FIN after the bytes: Node's server then ends the connection
 * (httpAllowHalfOpen is off), so a response that needs async work (a file) may be cut: the fuzz
 * uses both, the exact cases and the final check keep the connection open.
 */
function raw(bytes: Buffer | string, opts: { halfClose?: boolean; waitMs?: number } = {}): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(info.port, '127.0.0.1');
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    };
    const timer = setTimeout(done, opts.waitMs ?? 1500);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One full response is enough (keep-alive connections would otherwise wait for the timer).
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && (len === undefined ? /^HTTP\/1\.1 101/.test(text) === false : text.length >= head + 4 + Number(len))) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      socket.write(bytes);
      if (opts.halfClose !== false) socket.end();
    });
  });
}

/** A plain request, built by hand so nothing normalises it. */
function http(method: string, path: string, headers: Record<string, string> = {}, body = ''): string {
  const h = { Host: host(), Connection: 'close', ...headers };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
}

function upgrade(path: string, extra: Record<string, string> = {}): string {
  return http('GET', path, {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    Origin: `http://${host()}`,
    ...extra,
  });
}

const tokenProtocols = (): string => clientProtocols(info.token).join(', ');

/** Opens an authenticated WebSocket session. */
function session(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${host()}/ws`, clientProtocols(info.token), { headers: { Origin: info.origin } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one frame and resolves with the reply to `id`, or the close code when the server closed instead. */
function exchange(ws: WebSocket, frame: string | Buffer, id: number | null, binary = false): Promise<{ reply?: Record<string, unknown>; close?: number; timeout?: true }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ timeout: true }), 5000);
    const onMessage = (d: Buffer): void => {
      const m = JSON.parse(d.toString()) as { t: string; id: number; reply: Record<string, unknown> };
      if (m.t === 'res' && m.id === id) finish({ reply: m.reply });
    };
    const onClose = (code: number): void => finish({ close: code });
    const finish = (r: { reply?: Record<string, unknown>; close?: number; timeout?: true }): void => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(r);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(frame, { binary });
  });
}

test('known bad inputs: exact outcomes', async () => {
  const c = { Cookie: cookie() };
  const cases: Array<[string, string | Buffer, number | null]> = [
    // The issue's crash: an upgrade for `//[` (its URL cannot be parsed).
    ['upgrade //[', upgrade('//['), 400],
    ['upgrade //[ with the token', upgrade('//[', { 'Sec-WebSocket-Protocol': tokenProtocols() }), 400],
    ['GET //[', http('GET', '//['), 400],
    ['GET //evil.example/x (another host, not a path)', http('GET', '//evil.example/x', c), 400],
    ['upgrade with only the cookie', upgrade('/ws', c), 401],
    ['upgrade with the token in the query', upgrade(`/ws?token=${info.token}`), 401],
    ['upgrade with the token but no protocol name', upgrade('/ws', { 'Sec-WebSocket-Protocol': `ts-token.${info.token}` }), 401],
    ['upgrade with a foreign Origin', upgrade('/ws', { 'Sec-WebSocket-Protocol': tokenProtocols(), Origin: 'http://evil.example' }), 403],
    ['upgrade to another path', upgrade('/other', { 'Sec-WebSocket-Protocol': tokenProtocols() }), 404],
    ['upgrade with a bad Sec-WebSocket-Version', upgrade('/ws', { 'Sec-WebSocket-Protocol': tokenProtocols(), 'Sec-WebSocket-Version': '99' }), 400],
    ['upgrade with a foreign Host', upgrade('/ws', { 'Sec-WebSocket-Protocol': tokenProtocols(), Host: 'evil.example' }), 403],
    ['media with ?token=', http('GET', `/media/image/1?token=${info.token}`, c), 400],
    ['asset with ?token=', http('GET', `/assets/app.js?token=${info.token}`), 400],
    ['page with a wrong ?token=', http('GET', '/?token=nope'), 401],
    ['POST with the media cookie', http('POST', '/media/image/1', { ...c, 'Content-Length': '2' }, '{}'), 405],
    ['GET /ws over plain HTTP', http('GET', '/ws', c), 426],
    ['malformed percent-encoding', http('GET', '/%E0%A4%A', c), 404],
    ['NUL in the path', http('GET', '/index.html%00.js', c), 404],
    ['a raw NUL byte in the request line', 'GET /\0 HTTP/1.1\r\n\r\n', 400],
    ['a header without a colon', `GET / HTTP/1.1\r\nHost: ${host()}\r\nnocolon\r\n\r\n`, 400],
    ['a 100 KB header', http('GET', '/', { 'X-Big': 'a'.repeat(100_000) }), 431],
    ['bad chunked body (refused before the body is read)', http('POST', '/', { 'Transfer-Encoding': 'chunked' }, 'zz\r\nxx\r\n'), 401],
    ['not HTTP at all', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01]), 400],
  ];
  for (const [name, bytes, expected] of cases) {
    const r = await raw(bytes, { halfClose: false });
    assert.equal(r.status, expected, `${name}: got ${r.text.split('\r\n')[0]}`);
  }
  // Media types come from the decoded bytes, not the .png name; nosniff stays.
  for (const [id, type] of [[1, 'image/png'], [2, 'image/jpeg']] as const) {
    const r = await raw(http('GET', `/media/image/${id}`, c), { halfClose: false });
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`\\r\\nContent-Type: ${type.replace('/', '\\/')}\\r\\n`, 'i'), `media ${id}`);
    assert.match(r.text, /\r\nX-Content-Type-Options: nosniff\r\n/i);
  }
  // Bytes that are no image are not served at all (a store edited to name any file must not read it out).
  assert.equal((await raw(http('GET', '/media/image/3', c), { halfClose: false })).status, 404);
  assert.equal(child.exitCode, null, 'the server process is alive');
});

test('WebSocket frames with bad shapes: exact outcomes', async () => {
  let ws = await session();
  const reopen = async (): Promise<void> => {
    ws = await session();
  };
  assert.deepEqual(await exchange(ws, 'not json', null), { close: 1007 });
  await reopen();
  assert.deepEqual(await exchange(ws, Buffer.from([1, 2, 3]), null, true), { close: 1007 });
  await reopen();
  assert.deepEqual(await exchange(ws, JSON.stringify({ t: 'req', id: '1', name: 'runs' }), null), { close: 1007 });
  await reopen();
  assert.deepEqual(await exchange(ws, 'x'.repeat(2 * 1024 * 1024), null), { close: 1009 }, 'frames over maxPayload close the socket');
  await reopen();
  assert.deepEqual(await exchange(ws, Buffer.from([0xc3, 0x28]), null), { close: 1007 }, 'invalid UTF-8 in a text frame');
  await reopen();
  // A reply that cannot be encoded, or is over the limit, is a typed error naming the request.
  const unencodable = await exchange(ws, JSON.stringify({ t: 'req', id: 7, name: 'runs', args: {} }), 7);
  // That one is the handler's bug: its stack goes to the diagnostics log, which the reply names.
  const log = ((unencodable.reply?.error as { details?: { log?: string } }).details?.log ?? '') as string;
  assert.match(log, /[/\\]data[/\\]logs[/\\]triplet-studio\.log$/);
  assert.deepEqual(unencodable.reply, {
    ok: false,
    error: { code: 'INTERNAL', message: 'The reply to "runs" could not be sent: it contains a value that cannot be encoded (Do not know how to serialize a BigInt).', details: { request: 'runs', log } },
  });
  assert.match(readFileSync(log, 'utf8'), / ERROR .*the reply to runs could not be encoded[\s\S]*TypeError: Do not know how to serialize a BigInt/);
  const big = await exchange(ws, JSON.stringify({ t: 'req', id: 8, name: 'listFolders', args: {} }), 8);
  assert.equal((big.reply?.error as { code: string }).code, 'TOO_LARGE');
  assert.match((big.reply?.error as { message: string }).message, /^The reply to "listFolders" could not be sent: it is 0\.3 MB, over the 0\.1 MB limit\./);
  // A handler that throws answers with its error (naming the diagnostics log that holds its stack);
  // an unknown name is UNKNOWN_CHANNEL.
  await exchange(ws, JSON.stringify({ t: 'req', id: 11, name: 'pickFolder', args: { typed: '/x' } }), 11); // reads need a pick too
  const thrown = (await exchange(ws, JSON.stringify({ t: 'req', id: 9, name: 'importImages', args: { folder: '/x' } }), 9)).reply as { ok: boolean; error: { code: string; message: string; details: { log: string } } };
  assert.deepEqual([thrown.ok, thrown.error.code, thrown.error.message], [false, 'INTERNAL', 'stub failure']);
  assert.match(thrown.error.details.log, /[/\\]data[/\\]logs[/\\]triplet-studio\.log$/);
  assert.equal(((await exchange(ws, JSON.stringify({ t: 'req', id: 10, name: '__proto__', args: {} }), 10)).reply?.error as { code: string }).code, 'UNKNOWN_CHANNEL');
  ws.close();
});

// ---------- generators ----------

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number): number => Math.floor(r() * n);

const SEED_PATHS = ['/', '/index.html', '/assets/app.js', '/media/thumb/1', '/media/image/2', '/ws', '/?token=x', '//[', '/%', '/..', '/media/', '/a?b#c'];
const ATOMS = ['/', '//', '[', ']', '%', '%2e', '%2f', '%00', '..', '\\', '?', '#', '@', ':', '&token=', '\u00e9', '\u{1f600}', '%ff', ' ', '\t', '*', 'media', 'thumb', '9999999999999999999'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PRI', 'get', 'G E T', 'XYZ', ''];

function randomString(r: Rand, max: number): string {
  let s = '';
  for (let i = int(r, max); i > 0; i--) s += String.fromCharCode(int(r, 4) === 0 ? int(r, 0x3000) : 32 + int(r, 95));
  return s;
}

function mutatePath(r: Rand): string {
  let p = pick(r, SEED_PATHS);
  for (let i = int(r, 4); i >= 0; i--) {
    const at = int(r, p.length + 1);
    const what = int(r, 3);
    if (what === 0) p = p.slice(0, at) + pick(r, ATOMS) + p.slice(at);
    else if (what === 1) p = p.slice(0, at) + p.slice(at + 1 + int(r, 3));
    else p = p.slice(0, at) + randomString(r, 6) + p.slice(at);
  }
  return int(r, 50) === 0 ? p + 'x'.repeat(int(r, 20_000)) : p;
}

function randomHeaders(r: Rand, forUpgrade: boolean): Record<string, string> {
  const h: Record<string, string> = {};
  const n = int(r, 6);
  for (let i = 0; i < n; i++) {
    const k = pick(r, ['Host', 'Cookie', 'Origin', 'Content-Length', 'Transfer-Encoding', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Upgrade', 'If-None-Match', 'Range', 'X-' + randomString(r, 5).replace(/[^\w]/g, 'a')]);
    h[k] = pick(r, [
      host(),
      cookie(),
      `${cookie()}; ts_token=${info.token}`,
      `http://${host()}`,
      tokenProtocols(),
      `ts-token.${info.token}`,
      String(int(r, 100)),
      '-1',
      'chunked',
      'websocket',
      randomString(r, 40).replace(/[\r\n]/g, ''),
      '',
    ]);
  }
  if (forUpgrade) Object.assign(h, { Connection: 'Upgrade', Upgrade: h.Upgrade ?? 'websocket', 'Sec-WebSocket-Key': h['Sec-WebSocket-Key'] ?? 'dGhlIHNhbXBsZSBub25jZQ==' });
  return h;
}

/** One random raw request: well-formed but odd, mutated, or plain garbage bytes. */
function randomRaw(r: Rand): { bytes: Buffer | string; halfClose: boolean } {
  const kind = int(r, 10);
  const halfClose = int(r, 4) !== 0;
  if (kind === 0) return { bytes: Buffer.from(Array.from({ length: 1 + int(r, 300) }, () => int(r, 256))), halfClose: true };
  const method = pick(r, METHODS);
  const upgrading = kind <= 3;
  let text = upgrading ? upgrade(mutatePath(r), randomHeaders(r, true)) : http(method, mutatePath(r), randomHeaders(r, false), int(r, 3) === 0 ? randomString(r, 50) : '');
  if (kind === 9) {
    // Byte-level damage: flip, cut or duplicate a slice of the request.
    const at = int(r, text.length);
    text = pick(r, [text.slice(0, at), text.slice(0, at) + text.slice(at + 1), text.slice(0, at) + '\r\n' + text.slice(at), text + text.slice(at)]);
  }
  return { bytes: text.replace(/[^\x00-\xff]/g, '?'), halfClose: upgrading ? int(r, 2) === 0 : halfClose };
}

/** A random WebSocket payload: valid-looking requests with odd args, wrong shapes, garbage. */
function randomFrame(r: Rand, id: number): { data: string | Buffer; binary: boolean; expectReply: boolean } {
  const kind = int(r, 8);
  const name = int(r, 5) === 0 ? randomString(r, 20) : pick(r, REQUEST_NAMES);
  const value = (): unknown =>
    pick(r, [null, true, 0, -1, 1e308, 'x', '', [], {}, { dir: '/tmp' }, { file: '../../etc/passwd', split: 'train' }, { id: 2 ** 60 }, { offset: -1 }, randomString(r, 30), [1, [2, [3]]]]);
  if (kind <= 3) return { data: JSON.stringify({ t: 'req', id, name, args: int(r, 4) === 0 ? undefined : value() }), binary: false, expectReply: true };
  if (kind === 4) return { data: JSON.stringify(pick(r, [value(), { t: 'req' }, { t: 'res', id, name }, { t: 'req', id: 1.5, name }, { t: 'req', id: -0, name: 5 }])), binary: false, expectReply: false };
  if (kind === 5) return { data: randomString(r, 200), binary: false, expectReply: false };
  if (kind === 6) return { data: Buffer.from(Array.from({ length: int(r, 100) }, () => int(r, 256))), binary: true, expectReply: false };
  const full = JSON.stringify({ t: 'req', id, name, args: value() });
  return { data: full.slice(0, Math.min(full.length - 1, 1 + int(r, 40))), binary: false, expectReply: false }; // always cut short
}

/** A raw, probably broken WebSocket frame (bad opcodes, reserved bits, unmasked, lying lengths). */
function randomRawFrame(r: Rand): Buffer {
  const first = int(r, 256);
  const masked = int(r, 4) !== 0 ? 0x80 : 0;
  const len = pick(r, [int(r, 126), 126, 127]);
  const parts = [Buffer.from([first, masked | len])];
  if (len === 126) parts.push(Buffer.from([int(r, 256), int(r, 256)]));
  if (len === 127) parts.push(Buffer.from([0x7f, 0xff, 0xff, 0xff, int(r, 256), 0, 0, 0]));
  if (masked) parts.push(Buffer.from([int(r, 256), int(r, 256), int(r, 256), int(r, 256)]));
  parts.push(Buffer.from(Array.from({ length: int(r, 64) }, () => int(r, 256))));
  return Buffer.concat(parts);
}

test(`fuzz: thousands of random requests and frames leave the server answering (seed ${SEED})`, async () => {
  const r = seededRandom(SEED);
  const deadline = Date.now() + TIME_BUDGET_MS;
  const statuses = new Map<number | null, number>();
  const bad: string[] = [];
  let sent = 0;

  // 1. Raw HTTP and upgrade requests, 16 at a time.
  const RAW_COUNT = 2000;
  const jobs = Array.from({ length: RAW_COUNT }, () => randomRaw(r));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < jobs.length && Date.now() < deadline) {
        const job = jobs[next++];
        const res = await raw(job.bytes, { halfClose: job.halfClose, waitMs: 400 });
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== null && res.status >= 500) bad.push(`${res.text.split('\r\n')[0]} for ${JSON.stringify(String(job.bytes).slice(0, 200))}`);
        if (res.text.length > 0 && res.status === null) bad.push(`not an HTTP answer: ${JSON.stringify(res.text.slice(0, 80))}`);
      }
    }),
  );

  // 2. Frames on authenticated sessions; a session the server closes is replaced.
  const FRAME_COUNT = 1500;
  let ws = await session();
  let replies = 0;
  for (let i = 0; i < FRAME_COUNT && Date.now() < deadline; i++) {
    if (ws.readyState !== WebSocket.OPEN) ws = await session();
    const f = randomFrame(r, i + 1);
    if (int(r, 60) === 0) {
      // A request and then the connection gone before the reply: the server must not mind.
      ws.send(f.data, { binary: f.binary });
      ws.terminate();
      sent++;
      continue;
    }
    const out = await exchange(ws, f.data, f.expectReply ? i + 1 : null, f.binary);
    if (out.timeout) bad.push(`no reply and no close within 5 s for ${JSON.stringify(String(f.data).slice(0, 80))}`);
    sent++;
    if (f.expectReply && out.reply) {
      replies++;
      const err = out.reply.error as { code?: string; message?: string } | undefined;
      if (out.reply.ok !== true && (typeof err?.code !== 'string' || typeof err?.message !== 'string')) bad.push(`malformed reply ${JSON.stringify(out.reply)}`);
    }
    if (!f.expectReply && out.close === undefined) bad.push(`frame ${JSON.stringify(String(f.data).slice(0, 80))} was not refused`);
  }
  ws.terminate();

  // 3. Raw broken frames after a real handshake.
  for (let i = 0; i < 300 && Date.now() < deadline; i++) {
    const handshake = upgrade('/ws', { 'Sec-WebSocket-Protocol': tokenProtocols() });
    await raw(Buffer.concat([Buffer.from(handshake, 'latin1'), randomRawFrame(r), randomRawFrame(r)]), { halfClose: int(r, 2) === 0, waitMs: 200 });
    sent++;
  }

  assert.deepEqual(bad.slice(0, 10), [], `seed ${SEED}: server misbehaved`);
  assert.ok(sent >= 1000, `seed ${SEED}: only ${sent} cases ran within the time budget`);
  assert.ok((statuses.get(400) ?? 0) + (statuses.get(401) ?? 0) + (statuses.get(404) ?? 0) > 200, `statuses: ${JSON.stringify([...statuses])}`);
  assert.ok(replies > 100, `only ${replies} replies`);

  // The process is alive, nothing was logged as a handler failure, and good requests still work.
  assert.equal(child.exitCode, null, `seed ${SEED}: the server process died: ${childErr.slice(-2000)}`);
  assert.doesNotMatch(childErr, /failed:/, 'no handler threw');
  const page = await raw(http('GET', '/assets/app.js', { Cookie: cookie() }), { halfClose: false });
  assert.equal(page.status, 200);
  const good = await session();
  assert.deepEqual((await exchange(good, JSON.stringify({ t: 'req', id: 1, name: 'recentProjects', args: {} }), 1)).reply, { ok: true, value: { stub: 'recentProjects' } });
  good.close();
});
