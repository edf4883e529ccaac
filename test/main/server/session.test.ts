// Browser mode keeps one token and one port per data folder, so the printed address survives a
// restart: the token file is private (0600; a wider one is repaired and its token replaced),
// --new-token rotates it, a taken remembered port is reported and replaced, and a tab with an old
// address gets a readable page saying so instead of a bare 401.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createServer as createHttpServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mediaCookieName } from '../../../src/main/server/auth.js';
import { startServer, type HostedService, type RunningServer } from '../../../src/main/server/index.js';
import { SESSION_FILE } from '../../../src/main/server/session-store.js';
import { fillDisk, mountTmpfs, remountReadOnly, unmount } from '../../helpers/tmpfs.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const dataDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ts-session-'));
  dirs.push(d);
  return d;
};
const fakeService = (): HostedService => ({ mediaPath: () => null, projectInfo: () => null }) as unknown as HostedService;
const start = (dir: string, extra: { port?: number; newToken?: boolean } = {}): Promise<RunningServer> =>
  startServer({ dataDir: dir, persistSession: true, staticDir: dir, createService: fakeService, ...extra });

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The public id of the token a server holds (what a tab compares with its own, never sending it). Not kept alive: the server restarts. */
const tokenIdOn = async (port: number): Promise<string> => JSON.parse((await get(port, `/auth/running?nonce=${'0'.repeat(64)}`, { Connection: 'close' })).body).tokenId;

const posix = process.platform !== 'win32';

test('a restart on the same data folder prints the same address; the token file is private', async () => {
  const dir = dataDir();
  const first = await start(dir);
  const url = first.url;
  await first.close();
  if (posix) assert.equal(statSync(join(dir, SESSION_FILE)).mode & 0o777, 0o600);
  assert.equal(Buffer.from(first.token, 'base64url').length, 32);
  const second = await start(dir);
  try {
    assert.equal(second.url, url, 'same token and same port');
    assert.deepEqual(second.notices, []);
    // The start address keeps working after the restart (cookie + redirect, no 401).
    assert.equal((await get(second.port, `/?token=${second.token}`)).status, 302);
  } finally {
    await second.close();
  }
});

test('--new-token replaces the token; the old address gets a readable "out of date" page', async () => {
  const dir = dataDir();
  const first = await start(dir);
  const firstTokenId = await tokenIdOn(first.port);
  assert.match(firstTokenId, /^[0-9a-f]{64}$/);
  await first.close();
  const second = await start(dir, { newToken: true });
  try {
    assert.notEqual(second.token, first.token);
    assert.equal(second.port, first.port);
    assert.match(second.notices.join('\n'), /New token/);
    const old = await get(second.port, `/?token=${first.token}`);
    assert.equal(old.status, 401);
    assert.match(old.type, /text\/html/);
    assert.match(old.body, /This address is out of date/);
    assert.match(old.body, /npm run serve/);
    // An old cookie of this port (a bookmark of the bare address): the same page.
    const stale = await get(second.port, '/', { Cookie: `${mediaCookieName(second.port)}=${first.mediaToken}` });
    assert.match(stale.body, /This address is out of date/);
    // No cookie at all: how to get in.
    const none = await get(second.port, '/');
    assert.equal(none.status, 401);
    assert.match(none.body, /Open the address printed by npm run serve/);
    // The tab's check (it sends no token, test/renderer/lib/server-proof.test.ts): another token id.
    assert.notEqual(await tokenIdOn(second.port), firstTokenId);
  } finally {
    await second.close();
  }
});

test('a token file readable by others is made private and its token replaced', { skip: !posix && 'POSIX modes only' }, async () => {
  const dir = dataDir();
  const first = await start(dir);
  await first.close();
  chmodSync(join(dir, SESSION_FILE), 0o644);
  const second = await start(dir);
  try {
    assert.equal(statSync(join(dir, SESSION_FILE)).mode & 0o777, 0o600);
    assert.notEqual(second.token, first.token);
    assert.match(second.notices.join('\n'), /readable by other users \(mode 644\)/);
    assert.equal(JSON.parse(readFileSync(join(dir, SESSION_FILE), 'utf8')).token, second.token);
  } finally {
    await second.close();
  }
});

test('a remembered port taken by another program: said clearly, another port used and remembered, with a new token', async () => {
  const dir = dataDir();
  const first = await start(dir);
  await first.close();
  // Another program: a web server that answers everything with 404 (not browser mode's token check);
  // it reads its connections, so each closes when the asker hangs up and close() can finish.
  const blocker: NetServer = createNetServer((socket) => socket.resume().end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  await new Promise<void>((r) => blocker.listen(first.port, '127.0.0.1', () => r()));
  try {
    const second = await start(dir);
    await second.close();
    assert.notEqual(second.port, first.port);
    // The old token may have gone to the program on the old port (a tab kept reconnecting to it).
    assert.notEqual(second.token, first.token, 'a new token with the new port');
    assert.match(second.notices.join('\n'), new RegExp(`Port ${first.port}, which this data folder used last time, is taken by another program: using port ${second.port} instead, with a new token`));
    const third = await start(dir);
    await third.close();
    assert.equal(third.port, second.port, 'the new port is remembered');
    assert.equal(third.token, second.token, 'and so is its token');
    // An explicit --port that is taken is an error naming it.
    await assert.rejects(start(dir, { port: first.port }), new RegExp(`Port ${first.port} on 127.0.0.1 is already in use`));
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

test('a second start on a data folder whose browser mode runs: it says where that one is, and changes nothing', async () => {
  const dir = dataDir();
  const first = await start(dir);
  try {
    const url = `http://127.0.0.1:${first.port}/?token=${encodeURIComponent(first.token)}`;
    // A second server that did start (the old behaviour) is closed, so the test fails instead of hanging.
    const second = start(dir).then(async (s) => (await s.close(), s));
    await assert.rejects(second, {
      code: 'CONFLICT',
      message: `Triplet Studio already runs with this data folder: open ${url} (stop that one first to start again here, or give another data folder with --data DIR).`,
    });
    assert.equal(JSON.parse(readFileSync(join(dir, SESSION_FILE), 'utf8')).port, first.port, "the running one's address stays remembered");
    // To another data folder that remembers the same port, this one is "another program": a new port, as before.
    const otherDir = dataDir();
    writeFileSync(join(otherDir, SESSION_FILE), JSON.stringify({ token: 'another-data-folders-token-0123456789abcdef', port: first.port }), { mode: 0o600 });
    const other = await start(otherDir);
    await other.close();
    assert.notEqual(other.port, first.port);
    assert.match(other.notices.join('\n'), new RegExp(`Port ${first.port}, which this data folder used last time, is taken by another program`));
  } finally {
    await first.close();
  }
});

test('a hostile program on the remembered port learns nothing of the token and cannot pass for browser mode', async () => {
  const dir = dataDir();
  const first = await start(dir);
  await first.close();
  // It records every request and claims whatever it is asked ("valid", a made-up proof).
  const seen: string[] = [];
  const hostile = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ valid: true, proof: 'ab'.repeat(32) }));
  });
  await new Promise<void>((r) => hostile.listen(first.port, '127.0.0.1', () => r()));
  try {
    const second = await start(dir);
    await second.close();
    assert.notEqual(second.port, first.port, 'not taken for a running Triplet Studio: started on another port');
    assert.ok(seen.length >= 1, 'it was asked');
    assert.ok(seen.every((r) => !r.includes(first.token) && !r.includes(encodeURIComponent(first.token))), `the token never left: ${seen.join('\n')}`);
  } finally {
    await new Promise((r) => hostile.close(r));
  }
});

test('without persistSession (tests, Electron-free embedding): a new token per launch, nothing stored', async () => {
  const dir = dataDir();
  const a = await startServer({ dataDir: dir, staticDir: dir, createService: fakeService });
  await a.close();
  const b = await startServer({ dataDir: dir, staticDir: dir, createService: fakeService });
  await b.close();
  assert.notEqual(a.token, b.token);
  assert.throws(() => statSync(join(dir, SESSION_FILE)));
});

test('a data folder on a full disk: browser mode does not start, says why and the way out, and leaves no temporary file', async (t) => {
  const disk = dataDir();
  const cannot = mountTmpfs(disk, '64k');
  if (cannot) return t.skip(cannot);
  try {
    fillDisk(disk);
    const data = join(disk, 'data');
    await assert.rejects(start(data), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'DISK_FULL');
      assert.equal(err.message, `The disk holding the data folder ${data} is full, so browser mode cannot keep its address (${SESSION_FILE}) there. Free some space, or start it with --data DIR on another drive.`);
      return true;
    });
    assert.deepEqual(readdirSync(data), [], 'no half-written session file');
  } finally {
    unmount(disk);
  }
});

test('a data folder on a read-only drive: browser mode does not start and says why (was Node\'s "EROFS: read-only file system, open …tmp")', async (t) => {
  const disk = dataDir();
  const cannot = mountTmpfs(disk, '64k');
  if (cannot) return t.skip(cannot);
  try {
    const data = join(disk, 'data');
    mkdirSync(data);
    remountReadOnly(disk);
    for (const folder of [data, join(disk, 'not-made-yet')]) {
      await assert.rejects(start(folder), {
        code: 'FORBIDDEN',
        message: `The data folder ${folder} is on a read-only drive, so browser mode cannot keep its address (${SESSION_FILE}) there. Start it with --data DIR on a drive you can write.`,
      });
    }
  } finally {
    unmount(disk);
  }
});
