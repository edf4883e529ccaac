// Browser-mode server security: a credential on every route (the read-only media cookie for GETs,
// the token in Sec-WebSocket-Protocol for /ws), loopback only, no traversal, same-origin WebSocket,
// and real request round trips against a real StudioService in a temp data folder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { StudioService } from '../../../src/main/project/service.js';
import { clientProtocols, mediaCookieName } from '../../../src/main/server/auth.js';
import { startServer, type EmitFn, type RunningServer } from '../../../src/main/server/index.js';
import { openDb } from '../../../src/main/store/db.js';

let tmp: string;
let srv: RunningServer;
let emit: EmitFn;
let imageFile: string;
let projectDir: string;
let service: StudioService;

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** Raw HTTP GET (no URL normalisation by the client, so traversal attempts reach the server as written). */
function get(path: string, headers: Record<string, string> = {}, port = srv.port): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The media cookie header of the test server. */
const media = (): { Cookie: string } => ({ Cookie: `${mediaCookieName(srv.port)}=${srv.mediaToken}` });

/** Opens /ws (with the token subprotocols unless `protocols` says otherwise); resolves with the socket or the refusal status. */
function openWs(query: string, headers: Record<string, string>, protocols: string[] = clientProtocols(srv.token)): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/ws${query}`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ts-server-'));
  const staticDir = join(tmp, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Triplet Studio</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmp, 'secret.txt'), 'TOP SECRET');
  mkdirSync(join(tmp, 'images'));
  imageFile = join(tmp, 'images', 'red.png');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).png().toFile(imageFile);
  projectDir = join(tmp, 'project');
  srv = await startServer({
    dataDir: join(tmp, 'data'),
    staticDir,
    createService: (opts) => {
      emit = opts.emit;
      service = new StudioService(opts);
      return service;
    },
  });
  // One project with one image, so /media has something to serve.
  service.createProject({ dir: projectDir });
  await service.jobs.wait(service.importImages({ folder: join(tmp, 'images') }).jobId);
});

after(async () => {
  await srv?.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('binds to 127.0.0.1 by default with a fresh 32-byte token', () => {
  const addr = srv.server.address();
  assert.ok(addr && typeof addr === 'object');
  assert.equal(addr.address, '127.0.0.1');
  assert.equal(Buffer.from(srv.token, 'base64url').length, 32);
  assert.equal(srv.url, `http://127.0.0.1:${srv.port}/?token=${srv.token}`);
});

test('without a credential every route answers 401', async () => {
  for (const path of ['/', '/index.html', '/assets/app.js', '/media/thumb/1', '/media/image/1', '/ws', '/nope']) {
    const r = await get(path);
    assert.equal(r.status, 401, path);
    assert.equal(r.body.includes('Triplet Studio</title>'), false);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  }
  assert.equal(await openWs('', { Origin: srv.origin }, []), 401);
});

test('a wrong token answers 401 (query, cookie, WebSocket)', async () => {
  const wrong = srv.token.slice(0, -2) + (srv.token.endsWith('AA') ? 'BB' : 'AA');
  assert.equal((await get(`/?token=${wrong}`)).status, 401);
  assert.equal((await get('/media/thumb/1', { Cookie: `${mediaCookieName(srv.port)}=${wrong}` })).status, 401);
  assert.equal((await get('/', { Cookie: `${mediaCookieName(srv.port)}=` })).status, 401);
  assert.equal(await openWs('', { Origin: srv.origin }, clientProtocols(wrong)), 401);
});

test('the start URL sets a port-specific, read-only HttpOnly cookie and moves the token to the fragment', async () => {
  const r = await get(`/?token=${srv.token}&x=1`);
  assert.equal(r.status, 302);
  assert.equal(r.headers.location, `/?x=1#token=${srv.token}`);
  const cookie = String(r.headers['set-cookie']);
  assert.equal(cookie.split(';')[0], `ts_media_${srv.port}=${srv.mediaToken}`);
  assert.notEqual(srv.mediaToken, srv.token);
  assert.equal(cookie.includes(srv.token), false, 'the cookie does not carry the token');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  // Following the redirect with the cookie gets the page, with the security headers.
  const page = await get('/?x=1', { Cookie: cookie.split(';')[0] });
  assert.equal(page.status, 200);
  assert.match(page.body, /Triplet Studio/);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
});

test('the start URL redirects only to this server\'s `/`: a path that normalises to `//host` is no open redirect', async () => {
  for (const path of ['/.//evil.example/', '/x/..//evil.example/', '/.\\\\evil.example/', '/%2F/evil.example/', '/index.html']) {
    const r = await get(`${path}?token=${srv.token}`);
    assert.equal(r.status, 302, path);
    assert.equal(r.headers.location, `/#token=${srv.token}`, path);
  }
});

test('a token never stays in an asset or media URL: refused with 400, even with the cookie', async () => {
  for (const path of [`/assets/app.js?token=${srv.token}`, `/media/image/1?token=${srv.token}`, `/media/thumb/1?x=1&token=${srv.token}`]) {
    const r = await get(path, media());
    assert.equal(r.status, 400, path);
    assert.match(r.body, /token does not belong in this address/);
    assert.equal(r.headers['set-cookie'], undefined);
  }
});

test('the media cookie is read-only: GET/HEAD only, and it does not open the WebSocket', async () => {
  assert.equal((await get('/media/image/1', media())).status, 200);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const r = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: srv.port, path: '/media/image/1', method, headers: media() }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(r, 405, method);
  }
  // A handshake with only the cookie (what another local port receives) is refused: 401.
  assert.equal(await openWs('', { Origin: srv.origin, ...media() }, []), 401);
  assert.equal(await openWs('', { Origin: srv.origin, ...media() }, ['triplet-studio.v1']), 401);
  // The old cookie name carrying the full token does not count either.
  assert.equal(await openWs('', { Origin: srv.origin, Cookie: `ts_token=${srv.token}` }, []), 401);
  // The token in the URL no longer opens the WebSocket.
  assert.equal(await openWs(`?token=${srv.token}`, { Origin: srv.origin }, []), 401);
  // The token entry without the protocol name is refused too (the server would have nothing to select).
  assert.equal(await openWs('', { Origin: srv.origin }, [`ts-token.${srv.token}`]), 401);
});

test('a second server on another port has its own cookie name: neither overwrites the other', async () => {
  const second = await startServer({ dataDir: join(tmp, 'data-second'), staticDir: join(tmp, 'renderer'), createService: () => ({ mediaPath: () => null }) as never });
  try {
    const r = await get(`/?token=${second.token}`, {}, second.port);
    const cookie = String(r.headers['set-cookie']).split(';')[0];
    assert.equal(cookie, `ts_media_${second.port}=${second.mediaToken}`);
    assert.notEqual(mediaCookieName(second.port), mediaCookieName(srv.port));
    // The browser sends both cookies to both ports; each server takes only its own.
    const both = { Cookie: `${cookie}; ${media().Cookie}` };
    assert.equal((await get('/assets/app.js', both)).status, 200);
    assert.equal((await get('/assets/app.js', both, second.port)).status, 200);
    assert.equal((await get('/assets/app.js', { Cookie: cookie })).status, 401, "the second server's cookie does not open the first");
  } finally {
    await second.close();
  }
});

test('the cookie authenticates static files and media; media types come from the bytes', async () => {
  const cookie = { Cookie: `other=1; ${media().Cookie}` };
  assert.equal((await get('/assets/app.js', cookie)).status, 200);
  const thumb = await get('/media/thumb/1', cookie);
  assert.equal(thumb.status, 200);
  assert.match(String(thumb.headers['content-type']), /^image\//);
  const image = await get('/media/image/1', cookie);
  assert.equal(image.status, 200);
  assert.equal(image.headers['content-type'], 'image/png');
  assert.equal(image.headers['x-content-type-options'], 'nosniff');
  assert.equal(Number(image.headers['content-length']), readFileSync(imageFile).length);
  assert.equal((await get('/media/thumb/999', cookie)).status, 404);
  assert.equal((await get('/media/image/0', cookie)).status, 404);
  assert.equal((await get('/media/thumb/../../secret.txt', cookie)).status, 404);
  assert.equal((await get('/media/thumb/1abc', cookie)).status, 404);
});

test('/media serves only images, and thumbnails only from thumbs/: a store edited to name other files gets 404', async () => {
  // The project store names the files; another program (or a shared project) may have edited it.
  const db = openDb(join(projectDir, 'project.sqlite'));
  const row = db.prepare('SELECT abs_path, thumb FROM images WHERE id = 1').get() as { abs_path: string; thumb: string };
  const set = db.prepare('UPDATE images SET abs_path = ?, thumb = ? WHERE id = 1');
  const outside = join(projectDir, 'thumbs', 'outside.webp');
  symlinkSync(imageFile, outside);
  try {
    set.run(join(tmp, 'secret.txt'), row.thumb);
    const text = await get('/media/image/1', media());
    assert.equal(text.status, 404, 'a text file named as the photo');
    assert.equal(text.body.includes('TOP SECRET'), false);
    // Thumbnail paths out of thumbs/ (they hold a real image, so only the place refuses them).
    for (const thumb of ['../images/red.png', 'thumbs/../../images/red.png', 'thumbs/outside.webp']) {
      set.run(row.abs_path, thumb);
      assert.equal((await get('/media/thumb/1', media())).status, 404, thumb);
    }
  } finally {
    set.run(row.abs_path, row.thumb);
    db.close();
    rmSync(outside);
  }
  assert.equal((await get('/media/image/1', media())).status, 200);
  assert.equal((await get('/media/thumb/1', media())).status, 200);
});

test('a FIFO where a file or photo was is refused at once with 404, not held open until a writer comes', async () => {
  // A blocking open of a FIFO waits for a writer: the request would hang and hold a thread of Node's pool.
  const pipes = [join(tmp, 'renderer', 'assets', 'pipe.js'), imageFile];
  renameSync(imageFile, `${imageFile}.kept`);
  try {
    for (const p of pipes) execFileSync('mkfifo', [p]);
    for (const [path, p] of [['/assets/pipe.js', pipes[0]], ['/media/image/1', pipes[1]]] as const) {
      const t0 = performance.now();
      const r = await Promise.race([get(path, media()), new Promise<null>((done) => setTimeout(() => done(null), 5000).unref())]);
      assert.ok(r, `${path}: no answer within 5 s (the open of ${p} blocked)`);
      assert.equal(r.status, 404, path);
      assert.ok(performance.now() - t0 < 5000);
    }
  } finally {
    // A request left blocked in open() is released by a writer; then the photo goes back.
    for (const p of pipes) {
      try {
        closeSync(openSync(p, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader waiting (ENXIO) or no FIFO made
      }
      rmSync(p, { force: true });
    }
    renameSync(`${imageFile}.kept`, imageFile);
  }
});

test('path traversal on static files gets 404 (400 for a target that is not a path)', async () => {
  const cookie = media();
  assert.equal((await get('//etc/passwd', cookie)).status, 400);
  for (const path of [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
  ]) {
    const r = await get(path, cookie);
    assert.equal(r.status, 404, path);
    assert.equal(r.body.includes('TOP SECRET'), false, path);
  }
});

test('requests with a foreign Host header are refused (DNS rebinding)', async () => {
  const r = await get(`/?token=${srv.token}`, { Host: 'evil.example:80' });
  assert.equal(r.status, 403);
});

test('the same port on ::1 is held too, so localhost:PORT reaches this server and no other program; if taken, the notice says so', async () => {
  // What a browser does for localhost:PORT: [::1] first.
  const r = await new Promise<number>((done, fail) => {
    const req = request({ host: '::1', port: srv.port, path: '/assets/app.js', headers: { Host: `localhost:${srv.port}`, ...media() } }, (res) => (res.resume(), done(res.statusCode ?? 0)));
    req.on('error', fail);
    req.end();
  });
  assert.equal(r, 200);
  const squat = createNetServer();
  await assert.rejects(new Promise((done, fail) => (squat.once('error', fail), squat.listen(srv.port, '::1', () => done(null)))), { code: 'EADDRINUSE' });
  // A program on [::1]:P before the server starts on P.
  await new Promise((done) => squat.listen(0, '::1', () => done(null)));
  const p = (squat.address() as AddressInfo).port;
  try {
    const other = await startServer({ dataDir: join(tmp, 'data-v6'), staticDir: join(tmp, 'renderer'), port: p, createService: () => ({ mediaPath: () => null }) as never });
    try {
      assert.match(other.notices.join('\n'), new RegExp(`Another program listens on \\[::1\\]:${p}: open the 127\\.0\\.0\\.1 address`));
    } finally {
      await other.close();
    }
  } finally {
    squat.close();
  }
});

test('WebSocket refuses cross-origin or missing Origin even with the token', async () => {
  assert.equal(await openWs('', { Origin: 'http://evil.example' }), 403);
  assert.equal(await openWs('', { Origin: `http://127.0.0.1:${srv.port + 1}` }), 403);
  assert.equal(await openWs('', {}), 403);
});

test('WebSocket round trip of real requests, and events pushed to the socket', async () => {
  const ws = await openWs('', { Origin: srv.origin });
  assert.ok(ws instanceof WebSocket);
  assert.equal(ws.protocol, 'triplet-studio.v1', 'the server selects the protocol name, never echoes the token');
  const inbox: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (d) => {
    inbox.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (pred: (m: Record<string, unknown>) => boolean) => {
    for (;;) {
      const i = inbox.findIndex(pred);
      if (i >= 0) return inbox.splice(i, 1)[0];
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  ws.send(JSON.stringify({ t: 'req', id: 1, name: 'recentProjects', args: {} }));
  assert.deepEqual(await next((m) => m.id === 1), { t: 'res', id: 1, reply: { ok: true, value: [projectDir] } });
  ws.send(JSON.stringify({ t: 'req', id: 2, name: 'projectInfo' }));
  const info = (await next((m) => m.id === 2)) as { reply: { ok: true; value: { dir: string; images: number } } };
  assert.equal(info.reply.value.dir, projectDir);
  assert.equal(info.reply.value.images, 1);
  ws.send(JSON.stringify({ t: 'req', id: 3, name: 'importTriplets', args: { file: 'x.txt', split: 'val' } }));
  const bad = (await next((m) => m.id === 3)) as { reply: { ok: boolean; error: { code: string; message: string } } };
  assert.equal(bad.reply.error.code, 'BAD_ARGUMENTS');
  assert.match(bad.reply.error.message, /split: expected 'train' or 'test'/);
  ws.send(JSON.stringify({ t: 'req', id: 4, name: 'pickFolder', args: {} }));
  assert.deepEqual(await next((m) => m.id === 4), { t: 'res', id: 4, reply: { ok: true, value: null } });
  ws.send(JSON.stringify({ t: 'req', id: 5, name: 'rmRf', args: {} }));
  assert.equal(((await next((m) => m.id === 5)) as { reply: { error: { code: string } } }).reply.error.code, 'UNKNOWN_CHANNEL');
  // Service events reach the socket: a real one (closing the project), then one emitted directly.
  ws.send(JSON.stringify({ t: 'req', id: 6, name: 'closeProject', args: {} }));
  assert.deepEqual(await next((m) => m.t === 'evt'), { t: 'evt', name: 'project:changed', payload: { what: 'project' } });
  assert.deepEqual(await next((m) => m.id === 6), { t: 'res', id: 6, reply: { ok: true, value: null } });
  emit('project:changed', { what: 'images' });
  assert.deepEqual(await next((m) => m.t === 'evt'), { t: 'evt', name: 'project:changed', payload: { what: 'images' } });
  // A malformed frame closes the socket with 1007 rather than crashing the server.
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  ws.send('not json');
  assert.equal(await closed, 1007);
  assert.equal((await get('/', media())).status, 200);
});

test('a connection that never finishes its headers is closed (408) after the headers timeout; sockets and connections are limited', async () => {
  // Production values on the shared server; a short timeout on a second one keeps the test quick.
  assert.equal(srv.server.headersTimeout, 10_000);
  assert.equal(srv.server.requestTimeout, 30_000);
  const quick = await startServer({ dataDir: join(tmp, 'data-quick'), staticDir: join(tmp, 'renderer'), createService: () => ({ mediaPath: () => null }) as never, headersTimeoutMs: 500, requestTimeoutMs: 800 });
  try {
    const t0 = performance.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(quick.port, '127.0.0.1', () => socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${quick.port}\r\nX-Slow: `));
      let got = '';
      socket.on('data', (d) => (got += d.toString()));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
      setTimeout(() => (socket.destroy(), reject(new Error('still open after 4 s'))), 4000).unref();
    });
    assert.match(answer, /^HTTP\/1\.1 408 Request Timeout/);
    assert.ok(performance.now() - t0 < 3000, `closed after ${Math.round(performance.now() - t0)} ms`);
    // The timers are for HTTP requests only: an open WebSocket (uploads go over it) outlives them.
    const ws = new WebSocket(`ws://127.0.0.1:${quick.port}/ws`, clientProtocols(quick.token), { headers: { Origin: quick.origin } });
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(ws.readyState, WebSocket.OPEN);
    ws.close();
  } finally {
    await quick.close();
  }
});

test('a flood of connections that never finish their headers cannot lock the page out: the longest idle one makes way', { timeout: 30_000 }, async () => {
  const capped = await startServer({ dataDir: join(tmp, 'data-cap'), staticDir: join(tmp, 'renderer'), createService: () => ({ mediaPath: () => null }) as never, maxConnections: 8 });
  const flood: ReturnType<typeof connect>[] = [];
  try {
    // The app's WebSocket, open before the flood: never the one that makes way.
    const ws = new WebSocket(`ws://127.0.0.1:${capped.port}/ws`, clientProtocols(capped.token), { headers: { Origin: capped.origin } });
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    // A local program holds every other place with headers it never finishes, and reopens each one closed.
    const hold = (): void => {
      const s = connect(capped.port, '127.0.0.1', () => s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\nX-Slow: `));
      s.on('error', () => undefined);
      s.on('close', () => flood.includes(s) && flood.length < 200 && hold());
      flood.push(s);
    };
    for (let i = 0; i < 12; i++) hold();
    await new Promise((r) => setTimeout(r, 300));
    // The page's requests still get their answers (a plain cap refused them while the flood lasted).
    for (let i = 0; i < 5; i++) assert.equal((await get('/', {}, capped.port)).status, 401);
    assert.equal(ws.readyState, WebSocket.OPEN, 'the WebSocket stayed open');
    // Upgrades without the token from sockets that never close their side: refused and closed by the
    // server (they stayed open, out of reach of the cap, and locked the page out).
    const halfOpen = Array.from({ length: 12 }, () => {
      const s = connect({ port: capped.port, host: '127.0.0.1', allowHalfOpen: true }, () =>
        s.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`),
      );
      s.on('error', () => undefined);
      return s;
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await get('/', {}, capped.port)).status, 401);
    // The cap holds after a burst: never more open than allowed once the evicted ones are closed.
    const open = await new Promise<number>((r, j) => capped.server.getConnections((e, n) => (e ? j(e) : r(n))));
    assert.ok(open <= 8, `${open} connections open, over the cap of 8`);
    for (const s of halfOpen) s.destroy();
    ws.close();
  } finally {
    for (const s of flood.splice(0)) s.destroy();
    await capped.close();
  }
});

test('refuses a non-loopback host unless allowRemote is explicit, and still needs the token then', async () => {
  await assert.rejects(
    startServer({ dataDir: join(tmp, 'data2'), host: '0.0.0.0' }),
    /Refusing to listen on 0\.0\.0\.0/,
  );
  const remote = await startServer({ dataDir: join(tmp, 'data3'), host: '0.0.0.0', allowRemote: true, staticDir: join(tmp, 'renderer') });
  try {
    const addr = remote.server.address();
    assert.ok(addr && typeof addr === 'object' && addr.address === '0.0.0.0');
    assert.equal((await get('/', {}, remote.port)).status, 401);
    assert.equal((await get(`/index.html?token=${remote.token}`, {}, remote.port)).status, 302);
  } finally {
    await remote.close();
  }
});

/** A WebSocket session: `call(name, args)` resolves with the reply envelope. */
async function session(): Promise<{ call(name: string, args?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>; ws: WebSocket }> {
  const ws = await openWs('', { Origin: srv.origin });
  assert.ok(ws instanceof WebSocket);
  let next = 100;
  const waiting = new Map<number, (r: never) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { t: string; id: number; reply: never };
    if (m.t === 'res') waiting.get(m.id)?.(m.reply);
  });
  return {
    ws,
    call: (name, args = {}) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve as (r: never) => void);
        ws.send(JSON.stringify({ t: 'req', id, name, args }));
      }),
  };
}

test('writes go only to paths picked in this session or inside the project', async () => {
  const { call, ws } = await session();
  try {
    assert.equal((await call('openProject', { dir: projectDir })).ok, true);
    // An export to a path nobody picked is refused, and nothing is written.
    const outside = join(tmp, 'elsewhere', 'stolen.txt');
    mkdirSync(join(tmp, 'elsewhere'), { recursive: true });
    const refused = await call('exportTriplets', { file: outside, split: 'train' });
    assert.equal(refused.ok, false);
    assert.equal(refused.error?.code, 'FORBIDDEN');
    assert.equal(refused.error?.message, `exportTriplets: refused to write to ${outside}: choose it in the file dialog first (or write inside the project folder). Only paths picked in this session are written.`);
    assert.throws(() => readFileSync(outside), /ENOENT/);
    // `..` cannot climb out of the project.
    const climbing = await call('exportTriplets', { file: join(projectDir, '..', 'elsewhere', 'x.txt'), split: 'train' });
    assert.equal(climbing.error?.code, 'FORBIDDEN');
    // Inside the project: allowed without a pick.
    const inside = await call('exportTriplets', { file: join(projectDir, 'train-export.txt'), split: 'train' });
    assert.equal(inside.ok, true, JSON.stringify(inside.error));
    // The browser-mode dialog confirms the typed path; then that exact path is writable.
    assert.deepEqual(await call('pickFile', { save: true, typed: outside }), { ok: true, value: outside });
    assert.equal((await call('exportTriplets', { file: outside, split: 'train' })).ok, true);
    assert.equal((await call('exportTriplets', { file: outside + '.other', split: 'train' })).error?.code, 'FORBIDDEN');
    // Project creation: only in a folder the user picked (typed and confirmed).
    const newProject = join(tmp, 'typed-project');
    const notPicked = await call('createProject', { dir: newProject });
    assert.equal(notPicked.error?.code, 'FORBIDDEN');
    assert.match(notPicked.error?.message ?? '', /createProject: refused to write to .*typed-project: choose it in the folder dialog first/);
    // Picked to read from (a folder of images) is not enough; picked to write into is.
    assert.deepEqual(await call('pickFolder', { typed: newProject }), { ok: true, value: newProject });
    const readOnlyPick = await call('createProject', { dir: newProject });
    assert.equal(readOnlyPick.error?.code, 'FORBIDDEN');
    assert.match(readOnlyPick.error?.message ?? '', /\(it was picked to read from, not to write to\)/);
    assert.deepEqual(await call('pickFolder', { typed: newProject, write: true }), { ok: true, value: newProject });
    const created = (await call('createProject', { dir: newProject })) as { ok: boolean; value: { dir: string } };
    assert.equal(created.ok, true);
    assert.equal(created.value.dir, newProject);
  } finally {
    ws.close();
    service.openProject({ dir: projectDir });
  }
});
