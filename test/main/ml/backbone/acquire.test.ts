// Downloads against a loopback HTTP server (this machine has no internet): progress, resume after a
// cut connection, checksum mismatch, and copying a tfjs folder the user picked.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AppError } from '../../../../src/shared/errors.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { acquireBackbone, type AcquireProgress } from '../../../../src/main/ml/backbone/acquire/index.js';
import { downloadFile } from '../../../../src/main/ml/backbone/acquire/download.js';
import { sharedModelsDir, skipWithoutShared } from '../../../helpers/shared.js';

const MOBILENET = 'mobilenet_v1_0.75_224';

interface Served {
  url: string;
  requests: Array<{ path: string; range?: string }>;
  /** Paths whose first response is cut after this many bytes. */
  cutOnce: Map<string, number>;
  close(): Promise<void>;
}

/** Static files from `root` (plus `extra` in-memory files) with Range support and optional cuts. */
async function serve(root: string, extra: Record<string, Buffer> = {}): Promise<Served> {
  const requests: Served['requests'] = [];
  const cutOnce = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ path, range: req.headers.range });
    let body: Buffer;
    if (extra[path]) body = extra[path];
    else {
      const file = join(root, normalize(path).replace(/^(\.\.[/\\])+/, ''));
      if (!existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      body = readFileSync(file);
    }
    let start = 0;
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    if (m) start = Number(m[1]);
    const headers: Record<string, string | number> = { 'content-length': body.length - start, 'accept-ranges': 'bytes' };
    if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(m ? 206 : 200, headers);
    const cut = cutOnce.get(path);
    if (cut !== undefined) {
      cutOnce.delete(path);
      // Send part of the body, then close the connection mid-file. end() (FIN) rather than
      // destroy(): a reset can discard bytes already sent, making the resume offset racy.
      res.write(body.subarray(start, start + cut), () => res.socket?.end());
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cutOnce,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('acquire', { skip: skipWithoutShared() }, () => {
  let backbones: string;
  let server: Served;
  const saved = process.env.TRIPLET_STUDIO_BACKBONES;

  before(async () => {
    backbones = mkdtempSync(join(tmpdir(), 'ts-acquire-'));
    process.env.TRIPLET_STUDIO_BACKBONES = backbones;
    server = await serve(sharedModelsDir(), { '/bad/resnet50.h5': Buffer.from('HDF5? no: this is not the weight file at all'.repeat(50)) });
  });
  after(async () => {
    await server.close();
    rmSync(backbones, { recursive: true, force: true });
    if (saved === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
    else process.env.TRIPLET_STUDIO_BACKBONES = saved;
  });

  test('downloads MobileNet with progress, resuming a shard after the server cuts the connection', async () => {
    const src = join(sharedModelsDir(), MOBILENET);
    const json = JSON.parse(readFileSync(join(src, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    const shards = json.weightsManifest.flatMap((g) => g.paths);
    const biggest = shards.reduce((a, b) => (statSync(join(src, a)).size >= statSync(join(src, b)).size ? a : b));
    const size = statSync(join(src, biggest)).size;
    const cutAt = Math.floor(size / 3);
    server.cutOnce.set(`/${MOBILENET}/${biggest}`, cutAt);

    const events: AcquireProgress[] = [];
    const result = await acquireBackbone(MOBILENET, { url: `${server.url}/${MOBILENET}/model.json`, onProgress: (p) => events.push(p) });

    assert.equal(result.source, 'download');
    const dir = join(backbones, MOBILENET);
    for (const f of ['model.json', ...shards]) {
      assert.deepEqual(readFileSync(join(dir, f)), readFileSync(join(src, f)), `${f} differs from the served file`);
    }
    // The cut shard was fetched twice: the second time from where the first stopped.
    const hits = server.requests.filter((r) => r.path === `/${MOBILENET}/${biggest}`);
    assert.equal(hits.length, 2);
    assert.equal(hits[0].range, undefined);
    // It resumes from the bytes it kept: the client may not get the last chunk in flight before the
    // cut, so the offset is at most the cut, never 0 (the byte-for-byte check above proves it was right).
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(hits[1].range ?? '')?.[1] ?? NaN);
    assert.ok(resumedAt > 0 && resumedAt <= cutAt, `resumed at ${hits[1].range}, cut at ${cutAt}`);
    // Progress: the shards count as one download whose total model.json gives up front;
    // non-decreasing (the resumed shard does not go back), ending at the total.
    const allShards = shards.reduce((sum, s) => sum + statSync(join(src, s)).size, 0);
    const dl = events.filter((e) => e.phase === 'download' && e.file !== 'model.json');
    assert.ok(dl.filter((e) => e.file === biggest).length >= 2);
    for (let i = 1; i < dl.length; i++) assert.ok(dl[i].received! >= dl[i - 1].received!, `progress went back at event ${i}`);
    assert.ok(dl.every((e) => e.total === allShards));
    assert.equal(dl.at(-1)!.received, allShards);
    assert.ok(events.some((e) => e.phase === 'install'));
    // The faster derived form is prepared at install time when onnxruntime is present.
    if (events.some((e) => e.phase === 'optimise')) assert.ok(existsSync(join(dir, 'model.onnx')));
    assert.deepEqual(readdirSync(backbones).filter((n) => n.startsWith('.install-')), []);
  });

  test('a resnet50 download with the wrong checksum fails clearly and installs nothing', async () => {
    await assert.rejects(
      acquireBackbone('resnet50', { url: `${server.url}/bad/resnet50.h5` }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'INVALID_FILE');
        assert.match(err.message, /Checksum mismatch .*md5 [0-9a-f]{32}, expected 4d473c1dd8becc155b73f8504c6f6626/);
        assert.match(err.message, /nothing was installed/);
        return true;
      },
    );
    assert.equal(existsSync(join(backbones, 'resnet50')), false);
    assert.deepEqual(readdirSync(backbones).filter((n) => n.startsWith('.install-')), []);
    // The bad download is not kept either (no .part to "resume" into a bad file).
    assert.deepEqual(readdirSync(join(backbones, '.downloads')).filter((n) => n.includes('resnet50')), []);
  });

  test('a missing file is a clear NOT_FOUND, and a vanished server keeps the .part for a later resume', async () => {
    await assert.rejects(acquireBackbone('resnet50', { url: `${server.url}/nope.h5` }), /HTTP 404/);
    const dest = join(mkdtempSync(join(tmpdir(), 'ts-dl-')), 'f.bin');
    const other = await serve(sharedModelsDir());
    const file = `/${MOBILENET}/model.json`;
    const full = readFileSync(join(sharedModelsDir(), MOBILENET, 'model.json'));
    other.cutOnce.set(file, 1000);
    await assert.rejects(downloadFile(`${other.url}${file}`, dest, { attempts: 1 }), /kept in .*\.part; run the same command again to resume/);
    assert.equal(statSync(`${dest}.part`).size, 1000);
    const d = await downloadFile(`${other.url}${file}`, dest, { attempts: 1 });
    assert.equal(d.bytes, full.length);
    assert.deepEqual(readFileSync(dest), full);
    assert.equal(other.requests.at(-1)!.range, 'bytes=1000-');
    await other.close();
    rmSync(join(dest, '..'), { recursive: true, force: true });
  });

  test('copies a MobileNet folder the user picks, and refuses one with a shard missing', async () => {
    const src = join(sharedModelsDir(), MOBILENET);
    const r = await acquireBackbone(MOBILENET, { from: src, prepareOnnx: false });
    assert.equal(r.source, 'folder');
    assert.ok(existsSync(join(backbones, MOBILENET, 'model.json')));

    const broken = mkdtempSync(join(tmpdir(), 'ts-broken-'));
    writeFileSync(join(broken, 'model.json'), readFileSync(join(src, 'model.json')));
    await assert.rejects(acquireBackbone(MOBILENET, { from: broken }), /shard group1-shard1of1 is missing/);
    // The earlier install is untouched by the refused one.
    assert.ok(existsSync(join(backbones, MOBILENET, 'model.json')));
    rmSync(broken, { recursive: true, force: true });
  });

  test('a backbones folder marked read-only (shared weights) is never replaced, even by root', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'ts-ro-backbones-'));
    const saved = process.env.TRIPLET_STUDIO_BACKBONES;
    try {
      mkdirSync(join(shared, MOBILENET));
      writeFileSync(join(shared, MOBILENET, 'model.json'), 'original');
      chmodSync(join(shared, MOBILENET), 0o555);
      chmodSync(shared, 0o555);
      process.env.TRIPLET_STUDIO_BACKBONES = shared;
      await assert.rejects(acquireBackbone(MOBILENET, { from: join(sharedModelsDir(), MOBILENET), prepareOnnx: false }), (err: AppError) => {
        assert.equal(err.code, 'FORBIDDEN');
        assert.match(err.message, /is read-only, so mobilenet_v1_0\.75_224 is not installed there/);
        return true;
      });
      assert.deepEqual(readdirSync(shared), [MOBILENET], 'no install folder left behind');
      assert.equal(readFileSync(join(shared, MOBILENET, 'model.json'), 'utf8'), 'original');
    } finally {
      if (saved === undefined) delete process.env.TRIPLET_STUDIO_BACKBONES;
      else process.env.TRIPLET_STUDIO_BACKBONES = saved;
      chmodSync(shared, 0o755);
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
